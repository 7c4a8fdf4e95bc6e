package eagle.scenes.experiment;

import eagle.core.train.SeededRandom;
import eagle.core.train.TrainingSample;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The class-balanced replay buffer of the continual rounds, by the trainer service's rule (docs/METHOD.md §4):
 * one reservoir per class, the capacity K split evenly over the C classes seen (⌊K/C⌋ each, at least 1); an
 * image is offered to the reservoir of every class it contains and kept by reservoir sampling (algorithm R);
 * when a new class shrinks the share, reservoirs drop random members. The buffer is the union of the
 * reservoirs. Scenes may not use the trainer's class, so this is the same rule over in-memory samples.
 */
final class ReplayPool {

    private final int capacity;
    private final SeededRandom random;
    private final TreeMap<Integer, Long> seen = new TreeMap<>();
    private final TreeMap<Integer, List<TrainingSample>> members = new TreeMap<>();

    ReplayPool(int capacity, long seed) {
        if (capacity < 0) {
            throw new IllegalArgumentException("buffer capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.random = new SeededRandom(seed);
    }

    /** k = ⌊K / C⌋, at least 1; 0 without capacity. */
    int perClassCapacity() {
        return capacity == 0 ? 0 : Math.max(1, capacity / Math.max(1, seen.size()));
    }

    void offer(TrainingSample sample) {
        if (capacity == 0) {
            return;
        }
        TreeSet<Integer> classes = new TreeSet<>();
        sample.instances().forEach(i -> classes.add(i.classId()));
        boolean newClass = false;
        for (int c : classes) {
            if (!seen.containsKey(c)) {
                seen.put(c, 0L);
                members.put(c, new ArrayList<>());
                newClass = true;
            }
        }
        if (newClass) {
            int k = perClassCapacity();
            for (List<TrainingSample> reservoir : members.values()) {
                while (reservoir.size() > k) {
                    reservoir.remove(random.nextInt(reservoir.size()));
                }
            }
        }
        int k = perClassCapacity();
        for (int c : classes) {
            long n = seen.merge(c, 1L, Long::sum);
            List<TrainingSample> reservoir = members.get(c);
            if (reservoir.size() < k) {
                reservoir.add(sample);
            } else {
                long j = Math.floorMod(random.nextLong(), n);
                if (j < k) {
                    reservoir.set((int) j, sample);
                }
            }
        }
    }

    /** The images in the buffer, each once, in class then reservoir order. */
    List<TrainingSample> samples() {
        Map<TrainingSample, Boolean> unique = new IdentityHashMap<>();
        List<TrainingSample> out = new ArrayList<>();
        for (List<TrainingSample> reservoir : members.values()) {
            for (TrainingSample s : reservoir) {
                if (unique.put(s, Boolean.TRUE) == null) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    int size() {
        return samples().size();
    }
}
