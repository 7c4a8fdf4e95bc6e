package eagle.scenes.experiment;

import eagle.core.train.ClassReservoir;
import eagle.core.train.TrainingSample;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The class-balanced replay buffer of the continual rounds, by the trainer service's rule
 * (docs/METHOD.md §4): a {@link ClassReservoir} of in-memory samples (one reservoir per class, the
 * capacity K split evenly over the C classes seen, reservoir sampling per class). The buffer is the
 * union of the reservoirs.
 */
final class ReplayPool {

    private final ClassReservoir<Integer, TrainingSample> reservoir;

    ReplayPool(int capacity, long seed) {
        if (capacity < 0) {
            throw new IllegalArgumentException("buffer capacity must be >= 0, got " + capacity);
        }
        this.reservoir = new ClassReservoir<>(capacity, seed);
    }

    /** k = ⌊K / C⌋, at least 1; 0 without capacity. */
    int perClassCapacity() {
        return reservoir.perClassCapacity();
    }

    void offer(TrainingSample sample) {
        TreeSet<Integer> classes = new TreeSet<>();
        sample.instances().forEach(i -> classes.add(i.classId()));
        reservoir.offer(sample, classes);
    }

    /** The images in the buffer, each once, in class then reservoir order. */
    List<TrainingSample> samples() {
        Map<TrainingSample, Boolean> unique = new IdentityHashMap<>();
        List<TrainingSample> out = new ArrayList<>();
        for (List<TrainingSample> kept : reservoir.reservoirs().values()) {
            for (TrainingSample s : kept) {
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
