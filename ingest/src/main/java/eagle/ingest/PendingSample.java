package eagle.ingest;

import java.util.Map;

/**
 * An image whose sample has changed since it was last emitted: the value of {@link
 * TopologyProducer#PENDING_STORE}. Kept in a logged store so that an accepted annotation whose
 * sample was not yet emitted when its offset was committed is emitted after a restart.
 *
 * @param countedClasses the image's instances per class as the class statistics count them now,
 *     i.e. as of the image's last emission (empty if it was never emitted); the deltas sent with
 *     the next emission start from these
 * @param markedAt wall-clock epoch milliseconds when the image became pending (for the emission
 *     lag; 0 in a mark written before this field existed: no lag is measured for it)
 */
public record PendingSample(Map<String, Integer> countedClasses, long markedAt) {

    public PendingSample {
        countedClasses = Map.copyOf(countedClasses);
    }
}
