package eagle.ingest;

import java.util.Map;
import java.util.TreeMap;

/**
 * Statistics of one class over the currently accepted (not retracted) images, the value of {@link
 * TopologyProducer#CLASS_STATS_STORE}: the trainer's class-balanced resampling reads {@code
 * instances}/{@code images}; the evaluator picks adversarial negatives from {@code cooccurrence}.
 *
 * @param className the class
 * @param instances accepted instances of the class
 * @param images images with at least one such instance
 * @param cooccurrence per other class d: images that contain both this class and d
 */
public record ClassStatistics(
        String className, long instances, long images, Map<String, Long> cooccurrence) {

    public ClassStatistics {
        cooccurrence = Map.copyOf(new TreeMap<>(cooccurrence));
    }

    /** Before the first delta (the class name comes with it). */
    public static ClassStatistics initial() {
        return new ClassStatistics(null, 0, 0, Map.of());
    }

    /**
     * These statistics plus {@code delta}; null when nothing is left (the store then forgets the
     * class).
     */
    public ClassStatistics updateFrom(ClassDelta delta) {
        Map<String, Long> co = new TreeMap<>(cooccurrence);
        delta.cooccurrence()
                .forEach(
                        (d, change) -> {
                            long next = co.getOrDefault(d, 0L) + change;
                            if (next == 0) {
                                co.remove(d);
                            } else {
                                co.put(d, next);
                            }
                        });
        long nextInstances = instances + delta.instances();
        long nextImages = images + delta.images();
        if (nextInstances == 0 && nextImages == 0 && co.isEmpty()) {
            return null;
        }
        return new ClassStatistics(delta.className(), nextInstances, nextImages, co);
    }
}
