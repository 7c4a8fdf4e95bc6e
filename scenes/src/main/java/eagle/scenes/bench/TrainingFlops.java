package eagle.scenes.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import eagle.core.model.ClipConfig;
import eagle.scenes.experiment.EmbeddedBase;

/**
 * The core benchmark's yardsticks: the engine's own float32 matrix-multiply rate, and an estimate
 * of the FLOPs one training image costs, so that a training rate can be stated as a share of what
 * the machine does.
 */
final class TrainingFlops {

    private TrainingFlops() {}

    /** Sustained float32 matrix-multiply rate through the same engine. */
    static double gemmFlops(int n, int reps) {
        try (NDManager manager = NDManager.newBaseManager(EmbeddedBase.device())) {
            NDArray a = manager.randomNormal(new Shape(n, n));
            NDArray b = manager.randomNormal(new Shape(n, n));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0); // forces completion on asynchronous devices
                }
            }
            return reps * 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * Multiply-adds of the forward pass ×2 for FLOPs, ×3 for forward + backward; the text tower's
     * cost for the C class prompts over the {@code textTokens} positions it runs on (through the
     * last end-of-text token, {@code TextTransformer.forward}) is shared by the batch.
     */
    static double perImage(ClipConfig config, int classes, int textTokens, int batch) {
        ClipConfig.VisionConfig v = config.vision();
        int grid = v.imageSize() / v.patchSize();
        double tokens = grid * grid + 1;
        double vision =
                grid * grid * 3.0 * v.patchSize() * v.patchSize() * v.width()
                        + v.layers() * blockMacs(tokens, v.width(), v.mlpRatio())
                        + tokens * v.width() * config.embedDim();
        ClipConfig.TextConfig t = config.text();
        double text =
                classes
                        * (t.layers() * blockMacs(textTokens, t.width(), t.mlpRatio())
                                + t.width() * config.embedDim());
        return 3 * 2 * (vision + text / batch);
    }

    private static double blockMacs(double tokens, int width, double mlpRatio) {
        return tokens * width * 3 * width
                + 2 * tokens * tokens * width
                + tokens * width * width
                + 2 * tokens * width * mlpRatio * width;
    }
}
