package eagle.trainer;

import eagle.core.train.SeededRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The class-balanced replay buffer (docs/METHOD.md §4): one reservoir of images per class, the total capacity K
 * split evenly across the C classes seen so far (⌊K / C⌋ each, at least 1). An image is offered to the
 * reservoir of every class it contains; the buffer is the union of the reservoirs.
 *
 * <p>Reservoir sampling (Vitter's algorithm R) per class c with n_c images of c seen so far: while the
 * reservoir holds fewer than its capacity k, the image joins; afterwards it replaces slot j when
 * j ~ U{0 … n_c − 1} lands below k, so each image of c seen is in the reservoir with probability k / n_c.
 * When a new class shrinks every reservoir's share, each drops random members until it fits. A retracted
 * image leaves every reservoir. The random source is a {@link SeededRandom}, so the buffer's whole state is
 * its {@link Snapshot}, which the trainer stores with its durable state.
 */
public final class ReplayBuffer {

    /** Durable form of the buffer (JSON-friendly, deterministic order). */
    public record Snapshot(int capacity, long randomState, Map<String, ReservoirState> reservoirs,
                           Map<String, String> values) {
    }

    /** One class's reservoir: images of the class seen so far and the image ids kept. */
    public record ReservoirState(long seen, List<String> imageIds) {
    }

    private final int capacity;
    private final SeededRandom random;
    private final TreeMap<String, Long> seen = new TreeMap<>();
    private final TreeMap<String, List<String>> members = new TreeMap<>();
    /** image id → the sample's value JSON, for every image in at least one reservoir. */
    private final TreeMap<String, String> values = new TreeMap<>();

    public ReplayBuffer(int capacity, long seed) {
        this.capacity = capacity;
        this.random = new SeededRandom(seed);
    }

    private ReplayBuffer(Snapshot s) {
        this.capacity = s.capacity();
        this.random = new SeededRandom(s.randomState());
        s.reservoirs().forEach((c, r) -> {
            seen.put(c, r.seen());
            members.put(c, new ArrayList<>(r.imageIds()));
        });
        values.putAll(s.values());
    }

    public static ReplayBuffer restore(Snapshot snapshot) {
        return new ReplayBuffer(snapshot);
    }

    public Snapshot snapshot() {
        Map<String, ReservoirState> reservoirs = new TreeMap<>();
        seen.forEach((c, n) -> reservoirs.put(c, new ReservoirState(n, List.copyOf(members.get(c)))));
        return new Snapshot(capacity, random.state(), reservoirs, new TreeMap<>(values));
    }

    /** k = ⌊K / C⌋ (at least 1), C the classes seen; 0 when the buffer has no capacity. */
    public int perClassCapacity() {
        if (capacity == 0) {
            return 0;
        }
        return Math.max(1, capacity / Math.max(1, seen.size()));
    }

    /**
     * Offers an image (replacing an earlier one with the same id) to the reservoirs of its classes.
     *
     * @param classNames the image's distinct classes
     * @param valueJson  the sample record's value, kept to rebuild the image later
     */
    public void offer(String imageId, Collection<String> classNames, String valueJson) {
        retract(imageId);
        if (capacity == 0) {
            return;
        }
        Set<String> classes = new TreeSet<>(classNames);
        boolean newClass = false;
        for (String c : classes) {
            if (!seen.containsKey(c)) {
                seen.put(c, 0L);
                members.put(c, new ArrayList<>());
                newClass = true;
            }
        }
        if (newClass) {
            shrinkToShare();
        }
        int k = perClassCapacity();
        for (String c : classes) {
            long n = seen.merge(c, 1L, Long::sum);
            List<String> reservoir = members.get(c);
            if (reservoir.size() < k) {
                reservoir.add(imageId);
            } else {
                long j = Math.floorMod(random.nextLong(), n);
                if (j < k) {
                    String evicted = reservoir.set((int) j, imageId);
                    forgetIfUnused(evicted);
                }
            }
        }
        if (members.values().stream().anyMatch(r -> r.contains(imageId))) {
            values.put(imageId, valueJson);
        }
    }

    /** Removes an image from every reservoir; returns whether it was in the buffer. */
    public boolean retract(String imageId) {
        boolean present = values.remove(imageId) != null;
        members.values().forEach(r -> r.remove(imageId));
        return present;
    }

    private void shrinkToShare() {
        int k = perClassCapacity();
        for (List<String> reservoir : members.values()) {
            while (reservoir.size() > k) {
                String evicted = reservoir.remove(random.nextInt(reservoir.size()));
                forgetIfUnused(evicted);
            }
        }
    }

    private void forgetIfUnused(String imageId) {
        if (members.values().stream().noneMatch(r -> r.contains(imageId))) {
            values.remove(imageId);
        }
    }

    /** Images in the buffer, with their value JSON, in image-id order. */
    public Map<String, String> images() {
        return new LinkedHashMap<>(values);
    }

    public int size() {
        return values.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Images held per class (an image with two classes counts in both). */
    public Map<String, Integer> fillPerClass() {
        Map<String, Integer> fill = new TreeMap<>();
        members.forEach((c, r) -> fill.put(c, r.size()));
        return fill;
    }

    /** Images of each class seen so far (n_c). */
    public Map<String, Long> seenPerClass() {
        return new TreeMap<>(seen);
    }
}
