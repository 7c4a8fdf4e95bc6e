package eagle.trainer;

import java.util.Map;

/**
 * The trainer's state between rounds, in {@code STATE_DIR/state.json} (written to a sibling file and
 * renamed into place): rounds completed, the next offset to consume per partition of the samples topic,
 * and the replay buffer. Inside a round the round's checkpoint holds the same and more ({@link RoundState}).
 *
 * @param completedRounds  rounds whose candidate is on disk
 * @param positions        partition → next offset to read
 * @param buffer           the replay buffer
 * @param skipped          samples skipped so far (missing or corrupt blob, bad mask, bad JSON)
 */
public record DurableState(int completedRounds, Map<Integer, Long> positions, ReplayBuffer.Snapshot buffer,
                           long skipped) {
}
