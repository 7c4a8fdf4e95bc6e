package eagle.core.train;

import java.util.List;

/**
 * One annotated image ready for a training step: preprocessed pixels and, per instance, its class
 * and the fraction of each patch its mask covers (after the image's own resize and centre crop).
 *
 * @param imageId stable id of the image (the Kafka key in the platform)
 * @param pixels normalised pixels, (3, S, S) flattened channel-first
 * @param instances the image's instances, at least one
 */
public record TrainingSample(String imageId, float[] pixels, List<Instance> instances) {

    /**
     * @param classId index into the taxonomy
     * @param coverage fraction of each patch covered by the mask, (P)
     */
    public record Instance(int classId, float[] coverage) {}

    public TrainingSample {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("image " + imageId + " has no instances");
        }
        instances = List.copyOf(instances);
    }
}
