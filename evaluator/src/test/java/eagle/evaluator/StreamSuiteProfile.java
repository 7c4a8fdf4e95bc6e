package eagle.evaluator;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;

/**
 * The evaluator on the stream's held-out split: suite.source=stream over the test broker's {@code
 * eagle.samples.heldout.v1}, blobs under target/stream-blobs, a new suite version every 6 new
 * images; the pipeline driven by the test (no registry-event listener).
 */
public class StreamSuiteProfile implements QuarkusTestProfile {

    static final Path BLOBS = Path.of("target", "stream-blobs").toAbsolutePath();
    static final Path WORK = Path.of("target", "evaluator-work-stream").toAbsolutePath();
    static final int GROWTH = 6;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "eagle.evaluator.suite.source", "stream",
                "eagle.evaluator.suite.stream.blobs-dir", BLOBS.toString(),
                "eagle.evaluator.suite.stream.growth", String.valueOf(GROWTH),
                "eagle.evaluator.suite.coco.min-instance-pixels", "64",
                "eagle.evaluator.suite.coco.calibration-fraction", "0.25",
                "eagle.evaluator.listen", "false",
                "eagle.evaluator.work-dir", WORK.toString());
    }
}
