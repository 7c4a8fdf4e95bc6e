package eagle.trainer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import eagle.contracts.OffsetRange;
import eagle.core.train.StepLosses;
import java.util.List;
import java.util.Map;

/**
 * What a round's checkpoint carries besides weights and optimizer state (core's {@code Checkpoint}
 * {@code extra}, key {@value #EXTRA_KEY}): enough to rebuild the exact pool and continue the same
 * steps.
 *
 * @param round round number (1, 2, …)
 * @param parentSha256 digest of the starting weights (production at round start, or the base)
 * @param parentVersion the parent's registry version; null when not registered yet (the embedded
 *     base)
 * @param manifest offset ranges consumed by this round's intake
 * @param positions partition → next offset to read after this round's intake
 * @param intake the valid records of the intake, in consumption order (tombstones included)
 * @param buffer the replay buffer at round start (after the intake's retractions)
 * @param skipped skipped records, images and instances so far, this round's intake included
 * @param skippedByReason the same per {@link SkipReason} name
 * @param losses the loss curve so far
 * @param startedAt when the round started (ISO-8601)
 * @param parentFineTuned whether the parent came out of a round ({@link Parent#fineTuned()}); null
 *     in a state written before it was recorded (read as false)
 */
public record RoundState(
        int round,
        String parentSha256,
        Integer parentVersion,
        List<OffsetRange> manifest,
        Map<Integer, Long> positions,
        List<SampleRecord> intake,
        ReplayBuffer.Snapshot buffer,
        long skipped,
        Map<String, Long> skippedByReason,
        List<StepLosses> losses,
        String startedAt,
        Boolean parentFineTuned) {

    public static final String EXTRA_KEY = "eagle.trainer.round";

    public RoundState withLosses(List<StepLosses> value) {
        return new RoundState(
                round,
                parentSha256,
                parentVersion,
                manifest,
                positions,
                intake,
                buffer,
                skipped,
                skippedByReason,
                List.copyOf(value),
                startedAt,
                parentFineTuned);
    }

    @JsonIgnore
    public Parent parent() {
        return new Parent(parentSha256, parentVersion, Boolean.TRUE.equals(parentFineTuned));
    }
}
