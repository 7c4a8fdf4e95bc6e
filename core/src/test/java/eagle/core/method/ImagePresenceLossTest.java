package eagle.core.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The image presence term: which classes an image has (by hand), its value against the BCE over a
 * log-sum-exp written out in plain Java, and its gradient against central differences of that
 * plain-Java value.
 */
class ImagePresenceLossTest {

    private static final int B = 2;
    private static final int P = 4;
    private static final int D = 3;
    private static final int C = 3;
    private static final int[] IMAGE_INDEX = {0, 0, 1};
    private static final int[] LABELS = {2, 2, 0};
    static final double SCALE = 10; // s' = e^{ln 10}
    static final double BIAS = -10;

    @Test
    void anImageHasTheClassesOfItsInstances() {
        float[] y = ImagePresenceLoss.presence(B, C, IMAGE_INDEX, LABELS);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, y);
        assertThrows(
                IllegalArgumentException.class,
                () -> ImagePresenceLoss.presence(B, C, new int[] {0}, LABELS));
        assertThrows(
                IllegalArgumentException.class,
                () -> ImagePresenceLoss.presence(B, C, new int[] {2}, new int[] {0}));
        assertThrows(
                IllegalArgumentException.class,
                () -> ImagePresenceLoss.presence(B, C, new int[] {0}, new int[] {3}));
    }

    /** λ · mean_bc BCE(x_bc, y_bc) with m_bc = (1/κ) log Σ_p e^{κ cos}, in doubles. */
    private static double plain(double[] patches, double[] t, float lambda) {
        return plainSoftMaxBce(
                patches, B, P, D, t, ImagePresenceLoss.presence(B, C, IMAGE_INDEX, LABELS), lambda);
    }

    /**
     * λ · mean BCE(m·s′ + b′, y) over the soft maxima m of {@code images} images of {@code
     * patchesPerImage} patches against the rows of {@code t} (each {@code d} wide), in doubles,
     * with s′ = {@value #SCALE} and b′ = {@value #BIAS}; y at image·rows + row.
     */
    static double plainSoftMaxBce(
            double[] patches,
            int images,
            int patchesPerImage,
            int d,
            double[] t,
            float[] y,
            float lambda) {
        double kappa = ImagePresenceLoss.TEMPERATURE;
        int rows = t.length / d;
        double sum = 0;
        for (int b = 0; b < images; b++) {
            for (int c = 0; c < rows; c++) {
                double z = 0;
                for (int p = 0; p < patchesPerImage; p++) {
                    int row = (b * patchesPerImage + p) * d;
                    double norm = 0;
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        norm += patches[row + j] * patches[row + j];
                        dot += patches[row + j] * t[c * d + j];
                    }
                    z += Math.exp(kappa * dot / Math.sqrt(norm));
                }
                double x = Math.log(z) / kappa * SCALE + BIAS;
                sum += LossesTest.log1pExp(x) - y[b * rows + c] * x;
            }
        }
        return lambda * sum / (images * rows);
    }

    @Test
    void theTermIsTheSigmoidLossOverSoftMaximaAndItsGradientMatchesDifferences() {
        Random rnd = new Random(11);
        double[] patches = new double[B * P * D];
        for (int i = 0; i < patches.length; i++) {
            patches[i] = rnd.nextGaussian();
        }
        double[] t = LossesTest.randomUnitRows(rnd, C, D);
        float lambda = 3f;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(patches, new Shape(B, P, D));
            s.setRequiresGradient(true);
            double actual;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss =
                        new ImagePresenceLoss(lambda)
                                .compute(
                                        s,
                                        m.create(t, new Shape(C, D)),
                                        IMAGE_INDEX,
                                        LABELS,
                                        m.create(Math.log(SCALE)),
                                        m.create(BIAS));
                actual = loss.getDouble();
                collector.backward(loss);
            }
            assertEquals(plain(patches, t, lambda), actual, 1e-12);
            double[] grad = s.getGradient().toDoubleArray();
            double h = 1e-6;
            for (int i = 0; i < patches.length; i++) {
                double[] up = patches.clone();
                double[] down = patches.clone();
                up[i] += h;
                down[i] -= h;
                double numeric = (plain(up, t, lambda) - plain(down, t, lambda)) / (2 * h);
                assertEquals(numeric, grad[i], 1e-6, "d/dS at " + i);
            }
            // the soft maximum moves every patch of an image, not only the best-matching one
            for (int row = 0; row < B * P; row++) {
                double size = 0;
                for (int j = 0; j < D; j++) {
                    size += Math.abs(grad[row * D + j]);
                }
                assertTrue(size > 0, "patch row " + row);
            }
        }
    }

    @Test
    void offItIsZeroAndANegativeWeightIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.ones(new Shape(1, 2, 2));
            NDArray t = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            assertEquals(
                    0f,
                    new ImagePresenceLoss(0f)
                            .compute(
                                    s,
                                    t,
                                    new int[] {0},
                                    new int[] {1},
                                    m.create((float) Math.log(10)),
                                    m.create(-10f))
                            .getFloat());
        }
        assertThrows(IllegalArgumentException.class, () -> new ImagePresenceLoss(-1f));
        assertThrows(IllegalArgumentException.class, () -> new ImagePresenceLoss(Float.NaN));
    }
}
