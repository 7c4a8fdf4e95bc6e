package eagle.core.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The class-balanced reservoir of the replay buffer (docs/METHOD.md §4): one reservoir of images
 * per class, the total capacity K split evenly across the C classes seen so far (⌊K / C⌋ each, at
 * least 1). An image is offered to the reservoir of every class it contains; the buffer is the
 * union of the reservoirs.
 *
 * <p>Reservoir sampling (Vitter's algorithm R) per class c with n_c images of c seen so far: while
 * the reservoir holds fewer than its capacity k, the image joins; afterwards it replaces slot j
 * when j ~ U{0 … n_c − 1} lands below k, so each image of c seen is in the reservoir with
 * probability k / n_c. When a new class shrinks every reservoir's share, each drops random members
 * until it fits. The random source is a {@link SeededRandom}, so the whole state is the capacity,
 * {@link #randomState()}, {@link #seenPerClass()} and {@link #reservoirs()}.
 *
 * @param <C> a class (ordered: reservoirs are visited in class order)
 * @param <I> an image
 */
public final class ClassReservoir<C extends Comparable<C>, I> {

    private final int capacity;
    private final SeededRandom random;
    private final TreeMap<C, Long> seen = new TreeMap<>();
    private final TreeMap<C, List<I>> members = new TreeMap<>();

    /** An empty reservoir of capacity K, its random source seeded with {@code seed}. */
    public ClassReservoir(int capacity, long seed) {
        this.capacity = capacity;
        this.random = new SeededRandom(seed);
    }

    /**
     * A reservoir in a stored state.
     *
     * @param randomState the random source's {@link SeededRandom#state()}
     * @param seen n_c per class; every class has a reservoir (empty when absent from {@code
     *     reservoirs})
     * @param reservoirs the images kept per class, in slot order
     */
    public static <C extends Comparable<C>, I> ClassReservoir<C, I> restore(
            int capacity, long randomState, Map<C, Long> seen, Map<C, List<I>> reservoirs) {
        ClassReservoir<C, I> r = new ClassReservoir<>(capacity, randomState);
        seen.forEach(
                (c, n) -> {
                    r.seen.put(c, n);
                    r.members.put(c, new ArrayList<>(reservoirs.getOrDefault(c, List.of())));
                });
        return r;
    }

    /** k = ⌊K / C⌋ (at least 1), C the classes seen; 0 when the buffer has no capacity. */
    public int perClassCapacity() {
        if (capacity == 0) {
            return 0;
        }
        return Math.max(1, capacity / Math.max(1, seen.size()));
    }

    /**
     * Offers {@code image} to the reservoirs of its classes (nothing happens without capacity).
     *
     * @param classes the image's classes (duplicates count once)
     * @return the images that left a reservoir (to make room or to fit a smaller share), in
     *     eviction order; one may still be in another class's reservoir
     */
    public List<I> offer(I image, Collection<C> classes) {
        if (capacity == 0) {
            return List.of();
        }
        List<I> evicted = new ArrayList<>();
        TreeSet<C> distinct = new TreeSet<>(classes);
        boolean newClass = false;
        for (C c : distinct) {
            if (!seen.containsKey(c)) {
                seen.put(c, 0L);
                members.put(c, new ArrayList<>());
                newClass = true;
            }
        }
        if (newClass) {
            int k = perClassCapacity();
            for (List<I> reservoir : members.values()) {
                while (reservoir.size() > k) {
                    evicted.add(reservoir.remove(random.nextInt(reservoir.size())));
                }
            }
        }
        int k = perClassCapacity();
        for (C c : distinct) {
            long n = seen.merge(c, 1L, Long::sum);
            List<I> reservoir = members.get(c);
            if (reservoir.size() < k) {
                reservoir.add(image);
            } else {
                long j = Math.floorMod(random.nextLong(), n);
                if (j < k) {
                    evicted.add(reservoir.set((int) j, image));
                }
            }
        }
        return evicted;
    }

    /** Removes {@code image} (by equals) from every reservoir. */
    public void remove(I image) {
        members.values().forEach(r -> r.remove(image));
    }

    /** Whether some reservoir holds {@code image} (by equals). */
    public boolean contains(I image) {
        return members.values().stream().anyMatch(r -> r.contains(image));
    }

    public int capacity() {
        return capacity;
    }

    /** The random source's state, to store and {@link #restore}. */
    public long randomState() {
        return random.state();
    }

    /** Images of each class seen so far (n_c), in class order. */
    public SortedMap<C, Long> seenPerClass() {
        return Collections.unmodifiableSortedMap(seen);
    }

    /** The images kept per class, in class then slot order (read-only views). */
    public SortedMap<C, List<I>> reservoirs() {
        TreeMap<C, List<I>> view = new TreeMap<>();
        members.forEach((c, r) -> view.put(c, Collections.unmodifiableList(r)));
        return Collections.unmodifiableSortedMap(view);
    }
}
