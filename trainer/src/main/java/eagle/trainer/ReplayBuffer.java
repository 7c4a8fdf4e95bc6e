package eagle.trainer;

import eagle.core.train.ClassReservoir;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The class-balanced replay buffer (docs/METHOD.md §4): a {@link ClassReservoir} of image ids (one
 * reservoir per class, the capacity K split evenly across the C classes seen so far, reservoir
 * sampling per class), plus the sample record's value JSON of every image kept, to rebuild it
 * later. An image offered again replaces its earlier version; a retracted image leaves every
 * reservoir. The buffer's whole state is its {@link Snapshot}, which the trainer stores with its
 * durable state.
 */
public final class ReplayBuffer {

    /** Durable form of the buffer (JSON-friendly, deterministic order). */
    public record Snapshot(
            int capacity,
            long randomState,
            Map<String, ReservoirState> reservoirs,
            Map<String, String> values) {}

    /** One class's reservoir: images of the class seen so far and the image ids kept. */
    public record ReservoirState(long seen, List<String> imageIds) {}

    private final ClassReservoir<String, String> reservoir;

    /** image id → the sample's value JSON, for every image in at least one reservoir. */
    private final TreeMap<String, String> values = new TreeMap<>();

    public ReplayBuffer(int capacity, long seed) {
        this.reservoir = new ClassReservoir<>(capacity, seed);
    }

    private ReplayBuffer(Snapshot s) {
        Map<String, Long> seen = new TreeMap<>();
        Map<String, List<String>> kept = new TreeMap<>();
        s.reservoirs()
                .forEach(
                        (c, r) -> {
                            seen.put(c, r.seen());
                            kept.put(c, r.imageIds());
                        });
        this.reservoir = ClassReservoir.restore(s.capacity(), s.randomState(), seen, kept);
        values.putAll(s.values());
    }

    public static ReplayBuffer restore(Snapshot snapshot) {
        return new ReplayBuffer(snapshot);
    }

    public Snapshot snapshot() {
        Map<String, ReservoirState> reservoirs = new TreeMap<>();
        Map<String, List<String>> kept = reservoir.reservoirs();
        reservoir
                .seenPerClass()
                .forEach(
                        (c, n) ->
                                reservoirs.put(c, new ReservoirState(n, List.copyOf(kept.get(c)))));
        return new Snapshot(
                reservoir.capacity(), reservoir.randomState(), reservoirs, new TreeMap<>(values));
    }

    /** k = ⌊K / C⌋ (at least 1), C the classes seen; 0 when the buffer has no capacity. */
    public int perClassCapacity() {
        return reservoir.perClassCapacity();
    }

    /**
     * Offers an image (replacing an earlier one with the same id) to the reservoirs of its classes.
     *
     * @param classNames the image's distinct classes
     * @param valueJson the sample record's value, kept to rebuild the image later
     */
    public void offer(String imageId, Collection<String> classNames, String valueJson) {
        retract(imageId);
        for (String evicted : reservoir.offer(imageId, classNames)) {
            if (!reservoir.contains(evicted)) {
                values.remove(evicted);
            }
        }
        if (reservoir.contains(imageId)) {
            values.put(imageId, valueJson);
        }
    }

    /** Removes an image from every reservoir; returns whether it was in the buffer. */
    public boolean retract(String imageId) {
        boolean present = values.remove(imageId) != null;
        reservoir.remove(imageId);
        return present;
    }

    /** Images in the buffer, with their value JSON, in image-id order. */
    public Map<String, String> images() {
        return new LinkedHashMap<>(values);
    }

    public int size() {
        return values.size();
    }

    public int capacity() {
        return reservoir.capacity();
    }

    /** Images held per class (an image with two classes counts in both). */
    public Map<String, Integer> fillPerClass() {
        Map<String, Integer> fill = new TreeMap<>();
        reservoir.reservoirs().forEach((c, r) -> fill.put(c, r.size()));
        return fill;
    }

    /** Images of each class seen so far (n_c). */
    public Map<String, Long> seenPerClass() {
        return new TreeMap<>(reservoir.seenPerClass());
    }
}
