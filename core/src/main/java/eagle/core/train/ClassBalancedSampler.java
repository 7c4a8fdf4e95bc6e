package eagle.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Class-balanced resampling (docs/METHOD.md §4): each draw picks a class with equal probability
 * among the classes present, then one of that class's instances uniformly, and yields the
 * instance's image. A batch of B images is B such draws without repeating an image; every instance
 * of a drawn image takes part in the loss.
 *
 * <p>The pool is mutable (the trainer adds new samples and retracts removed ones); the random
 * source is a {@link SeededRandom} whose state a checkpoint stores.
 */
public final class ClassBalancedSampler {

    private final Map<String, TrainingSample> samples = new LinkedHashMap<>();

    /**
     * classId -> image id of every instance of that class (an image appears once per instance);
     * sorted by class.
     */
    private final TreeMap<Integer, List<String>> imagesByClass = new TreeMap<>();

    private final SeededRandom random;

    public ClassBalancedSampler(long seed) {
        this.random = new SeededRandom(seed);
    }

    private ClassBalancedSampler(SeededRandom random) {
        this.random = random;
    }

    /** A sampler that continues from a stored random state. */
    public static ClassBalancedSampler resume(long randomState) {
        return new ClassBalancedSampler(new SeededRandom(randomState));
    }

    public long randomState() {
        return random.state();
    }

    /** Adds a sample, replacing an earlier one with the same image id. */
    public void add(TrainingSample sample) {
        remove(sample.imageId());
        samples.put(sample.imageId(), sample);
        for (TrainingSample.Instance instance : sample.instances()) {
            imagesByClass
                    .computeIfAbsent(instance.classId(), c -> new ArrayList<>())
                    .add(sample.imageId());
        }
    }

    /** Removes an image and its instances; returns whether it was present. */
    public boolean remove(String imageId) {
        TrainingSample old = samples.remove(imageId);
        if (old == null) {
            return false;
        }
        for (TrainingSample.Instance instance : old.instances()) {
            List<String> images = imagesByClass.get(instance.classId());
            images.remove(imageId);
            if (images.isEmpty()) {
                imagesByClass.remove(instance.classId());
            }
        }
        return true;
    }

    public int size() {
        return samples.size();
    }

    public int classCount() {
        return imagesByClass.size();
    }

    /** Instances per class currently in the pool. */
    public Map<Integer, Integer> instancesPerClass() {
        Map<Integer, Integer> counts = new TreeMap<>();
        imagesByClass.forEach((c, images) -> counts.put(c, images.size()));
        return counts;
    }

    /**
     * Draws up to {@code batchImages} distinct images, class-balanced. Fewer come back only when
     * the pool holds fewer images.
     */
    public List<TrainingSample> nextBatch(int batchImages) {
        if (samples.isEmpty()) {
            throw new IllegalStateException("the sampler holds no samples");
        }
        int wanted = Math.min(batchImages, samples.size());
        Map<String, TrainingSample> batch = new LinkedHashMap<>();
        List<Integer> classes = new ArrayList<>(imagesByClass.keySet());
        int attempts = 0;
        while (batch.size() < wanted) {
            int classId = classes.get(random.nextInt(classes.size()));
            List<String> images = imagesByClass.get(classId);
            String imageId = images.get(random.nextInt(images.size()));
            batch.putIfAbsent(imageId, samples.get(imageId));
            if (++attempts > 1000 * wanted) {
                // every remaining draw repeats: fill deterministically with images not yet taken
                for (TrainingSample s : samples.values()) {
                    if (batch.size() == wanted) {
                        break;
                    }
                    batch.putIfAbsent(s.imageId(), s);
                }
            }
        }
        return new ArrayList<>(batch.values());
    }
}
