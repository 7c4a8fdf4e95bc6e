package eagle.trainer;

import eagle.core.train.TrainingSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sample read from the topic and its blob: CLIP-preprocessed pixels (3, S, S) and, per instance,
 * its class name and patch coverage (P). Class ids are assigned per round ({@link
 * #toTrainingSample}).
 *
 * @param imageId the record key
 * @param sha256 the image blob's digest
 * @param pixels normalised pixels, (3, S, S) flattened
 * @param instances class name and coverage of each instance
 */
public record DecodedSample(
        String imageId, String sha256, float[] pixels, List<Instance> instances) {

    /** One instance: class name and the fraction of each patch its mask covers, (P). */
    public record Instance(String className, float[] coverage) {}

    public DecodedSample {
        instances = List.copyOf(instances);
    }

    /** The sample with class ids taken from {@code classIds} (every class name must be there). */
    public TrainingSample toTrainingSample(Map<String, Integer> classIds) {
        List<TrainingSample.Instance> out = new ArrayList<>();
        for (Instance i : instances) {
            out.add(new TrainingSample.Instance(classIds.get(i.className()), i.coverage()));
        }
        return new TrainingSample(imageId, pixels, out);
    }
}
