package eagle.core.train;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A batch of training samples flattened for the device (what {@link EagleTrainer#step} uploads):
 * the pixels as one (B, 3, S, S) block, and per instance its image's index, its patch coverage and
 * its class label.
 */
record TrainingBatch(
        float[] pixels, Shape pixelShape, int[] imageIndex, float[][] coverage, int[] labels) {

    static TrainingBatch pack(List<TrainingSample> samples, int imageSize) {
        int b = samples.size();
        int plane = 3 * imageSize * imageSize;
        float[] pixels = new float[b * plane];
        int n = samples.stream().mapToInt(s -> s.instances().size()).sum();
        int[] imageIndex = new int[n];
        float[][] coverage = new float[n][];
        int[] labels = new int[n];
        int i = 0;
        for (int img = 0; img < b; img++) {
            TrainingSample sample = samples.get(img);
            if (sample.pixels().length != plane) {
                throw new IllegalArgumentException(
                        "image "
                                + sample.imageId()
                                + " has "
                                + sample.pixels().length
                                + " values, expected 3×"
                                + imageSize
                                + "×"
                                + imageSize);
            }
            System.arraycopy(sample.pixels(), 0, pixels, img * plane, plane);
            for (TrainingSample.Instance instance : sample.instances()) {
                imageIndex[i] = img;
                coverage[i] = instance.coverage();
                labels[i] = instance.classId();
                i++;
            }
        }
        return new TrainingBatch(
                pixels, new Shape(b, 3, imageSize, imageSize), imageIndex, coverage, labels);
    }
}
