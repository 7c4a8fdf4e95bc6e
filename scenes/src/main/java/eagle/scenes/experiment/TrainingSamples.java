package eagle.scenes.experiment;

import eagle.core.image.ImagePreprocessor;
import eagle.core.mask.PatchCoverage;
import eagle.core.train.TrainingSample;
import eagle.scenes.Instance;
import eagle.scenes.Scene;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns generated scenes into training samples: CLIP-preprocessed pixels and per-instance patch
 * coverage.
 */
public final class TrainingSamples {

    private TrainingSamples() {}

    public static TrainingSample of(Scene scene, ImagePreprocessor preprocessor, int patchSize) {
        List<TrainingSample.Instance> instances = new ArrayList<>();
        for (Instance instance : scene.instances()) {
            if (instance.mask().area() == 0) {
                continue; // fully occluded: nothing to pool
            }
            instances.add(
                    new TrainingSample.Instance(
                            instance.classId(),
                            PatchCoverage.of(instance.mask(), preprocessor.size(), patchSize)));
        }
        return new TrainingSample(
                "scene-" + scene.seed(), preprocessor.preprocess(scene.image()), instances);
    }
}
