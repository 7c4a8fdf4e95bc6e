package eagle.trainer;

import java.util.List;

/**
 * A round that threw on its data ({@code STATE/failed-rounds/round-N.json}), written before the
 * engine stops. A restart finds it and abandons the round instead of training it again: its intake
 * is skipped and counted ({@link SkipReason#FAILED_ROUND}), the images of the failing batch leave
 * the replay buffer, and the positions move past the intake, so the same data cannot fail the
 * trainer twice.
 *
 * @param round the round
 * @param error what was thrown
 * @param batch image ids of the batch whose step threw; empty when it threw outside a step
 * @param state the round's state (intake, manifest, positions, buffer at round start)
 * @param failedAt ISO-8601
 */
public record FailedRound(
        int round, String error, List<String> batch, RoundState state, String failedAt) {}
