package eagle.registry.api;

import java.util.Map;

/**
 * {@code POST /api/v1/models/{model}/versions}: the metadata of a new immutable version. The
 * artifact itself follows with {@code PUT .../artifact}; it must have exactly {@code sizeBytes}
 * bytes and the declared {@code sha256}. Registering the same sha256 again returns the existing
 * version.
 *
 * @param parentVersion the version this one was trained from (same model), or null for a root
 * @param sha256 hex SHA-256 of the artifact bytes
 * @param sizeBytes artifact size in bytes
 * @param format artifact format; {@code safetensors}
 * @param architecture architecture config (JSON object, e.g. the CLIP config)
 * @param trainingRun the run that produced it, with its data manifest (optional for imported bases)
 */
public record RegisterVersionRequest(
        Integer parentVersion,
        String sha256,
        Long sizeBytes,
        String format,
        Map<String, Object> architecture,
        TrainingRun trainingRun) {}
