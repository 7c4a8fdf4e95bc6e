package eagle.trainer;

import java.util.Map;

/**
 * The trainer's state between rounds, in {@code STATE_DIR/state.json} (written to a sibling file
 * and renamed into place): rounds completed, the next offset to consume per partition of the
 * samples topic, and the replay buffer. Inside a round the round's checkpoint holds the same and
 * more ({@link RoundState}).
 *
 * @param completedRounds rounds closed: a candidate on disk, or abandoned after failing on its data
 * @param positions partition → next offset to read
 * @param buffer the replay buffer
 * @param skipped records, images and instances skipped so far
 * @param skippedByReason the same per {@link SkipReason} name (null in a state written before it
 *     was kept)
 */
public record DurableState(
        int completedRounds,
        Map<Integer, Long> positions,
        ReplayBuffer.Snapshot buffer,
        long skipped,
        Map<String, Long> skippedByReason) {}
