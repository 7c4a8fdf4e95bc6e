package eagle.registry.api;

import eagle.contracts.OffsetRange;
import java.util.List;
import java.util.Map;

/**
 * The training run that produced a version: its id, its hyper-parameters (free JSON object) and its
 * data manifest, the Kafka offset ranges it consumed, so a version can be reproduced from the
 * topics.
 */
public record TrainingRun(
        String runId, Map<String, Object> parameters, List<OffsetRange> dataManifest) {}
