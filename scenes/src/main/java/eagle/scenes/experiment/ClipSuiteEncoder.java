package eagle.scenes.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import eagle.core.image.ImagePreprocessor;
import eagle.core.model.ClipModel;
import eagle.core.model.ImageFeatures;
import eagle.core.text.Tokenizer;
import eagle.scenes.suite.SuiteEncoder;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A {@link SuiteEncoder} over a {@link ClipModel}: CLIP preprocessing, then the CLS feature g, the
 * sequence features S_p and the text features, copied to the host. Inference only (no gradients).
 */
public final class ClipSuiteEncoder implements SuiteEncoder, AutoCloseable {

    private final ClipModel model;
    private final Tokenizer tokenizer;
    private final ImagePreprocessor preprocessor;
    private final NDManager manager;

    public ClipSuiteEncoder(ClipModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.preprocessor = new ImagePreprocessor(model.config().vision().imageSize());
        this.manager = NDManager.newBaseManager(model.device());
    }

    @Override
    public float[][] imageCls(List<BufferedImage> images) {
        try (NDScope scope = new NDScope()) {
            ImageFeatures features = model.encodeImage(preprocessor.batch(images, manager));
            return rows(features.cls()); // (B, D)
        }
    }

    @Override
    public float[][][] imagePatches(List<BufferedImage> images) {
        try (NDScope scope = new NDScope()) {
            NDArray patches =
                    model.encodeImage(preprocessor.batch(images, manager)).patches(); // (B, P, D)
            int b = (int) patches.getShape().get(0);
            int p = (int) patches.getShape().get(1);
            int d = (int) patches.getShape().get(2);
            float[] flat = patches.toFloatArray();
            float[][][] out = new float[b][p][d];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < p; j++) {
                    System.arraycopy(flat, (i * p + j) * d, out[i][j], 0, d);
                }
            }
            return out;
        }
    }

    @Override
    public int inputSize() {
        return preprocessor.size();
    }

    @Override
    public float[][] texts(List<String> prompts) {
        try (NDScope scope = new NDScope()) {
            return rows(model.encodeText(tokenizer.encodeBatch(prompts), manager)); // (T, D)
        }
    }

    private static float[][] rows(NDArray matrix) {
        int n = (int) matrix.getShape().get(0);
        int d = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
