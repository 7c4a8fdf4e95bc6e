package eagle.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.OffsetRange;
import eagle.core.train.StepLosses;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A round's result on disk ({@code candidates/round-N/candidate.json} beside {@code
 * model.safetensors}): what the registry is told when the candidate is registered.
 *
 * @param round the round
 * @param sha256 digest of model.safetensors
 * @param parentSha256 digest of the starting weights
 * @param parentVersion the parent's registry version, null when the parent (the base) is not
 *     registered yet
 * @param hyperparameters the round's training config and trigger
 * @param losses the loss curve, one entry per step
 * @param manifest topic-partition offset ranges consumed
 * @param manifestSha256 SHA-256 of the manifest's canonical JSON ({@link #manifestHash})
 * @param device where it was trained
 * @param createdAt ISO-8601
 */
public record Candidate(
        int round,
        String sha256,
        String parentSha256,
        Integer parentVersion,
        Map<String, Object> hyperparameters,
        List<StepLosses> losses,
        List<OffsetRange> manifest,
        String manifestSha256,
        String device,
        String createdAt) {

    public static final String MODEL = "model.safetensors";
    public static final String META = "candidate.json";
    public static final String ACCEPTED = "accepted.json";
    public static final String REJECTED = "rejected.json";

    /**
     * SHA-256 of the manifest sorted by (topic, partition) and written as compact JSON {@code
     * [{"topic":…,"partition":…,"fromOffset":…,"untilOffset":…},…]}.
     */
    public static String manifestHash(List<OffsetRange> manifest) {
        List<OffsetRange> sorted =
                manifest.stream()
                        .sorted(
                                Comparator.comparing(OffsetRange::topic)
                                        .thenComparingInt(OffsetRange::partition))
                        .toList();
        try {
            return AnnotationEvent.sha256Hex(new ObjectMapper().writeValueAsBytes(sorted));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
