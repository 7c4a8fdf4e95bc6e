package eagle.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * CLIP's pre-training loss, with and without hard negatives, against the two cross-entropies
 * written out in plain Java, and its gradients against finite differences.
 */
class ClipContrastiveLossTest {

    /** The loss by hand: rows over the B captions and the N negatives, columns over the images. */
    private static double byHand(
            double[] g, double[] c, double[] n, int b, int negatives, int d, double scale) {
        double[][] z = new double[b][b + negatives];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b + negatives; j++) {
                double[] other = j < b ? c : n;
                int row = j < b ? j : j - b;
                z[i][j] = scale * cosine(g, i, other, row, d);
            }
        }
        double rows = 0;
        for (int i = 0; i < b; i++) {
            double lse = 0;
            for (int j = 0; j < b + negatives; j++) {
                lse += Math.exp(z[i][j]);
            }
            rows += Math.log(lse) - z[i][i];
        }
        double cols = 0;
        for (int j = 0; j < b; j++) {
            double lse = 0;
            for (int i = 0; i < b; i++) {
                lse += Math.exp(z[i][j]);
            }
            cols += Math.log(lse) - z[j][j];
        }
        return (rows / b + cols / b) / 2;
    }

    private static double cosine(double[] x, int i, double[] y, int j, int d) {
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int k = 0; k < d; k++) {
            dot += x[i * d + k] * y[j * d + k];
            nx += x[i * d + k] * x[i * d + k];
            ny += y[j * d + k] * y[j * d + k];
        }
        return dot / Math.sqrt(nx * ny);
    }

    private static double[] gaussian(Random rnd, int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            x[i] = rnd.nextGaussian();
        }
        return x;
    }

    @Test
    void theLossIsTheMeanOfTheTwoCrossEntropiesAndNegativesJoinOnlyTheImageRows() {
        Random rnd = new Random(3);
        int b = 4;
        int negatives = 3;
        int d = 5;
        double[] g = gaussian(rnd, b * d);
        double[] c = gaussian(rnd, b * d);
        double[] n = gaussian(rnd, negatives * d);
        double scale = 7;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray gs = m.create(g, new Shape(b, d));
            NDArray cs = m.create(c, new Shape(b, d));
            NDArray ns = m.create(n, new Shape(negatives, d));
            NDArray logScale = m.create(Math.log(scale));
            double plain = ClipContrastiveLoss.compute(gs, cs, logScale).getDouble();
            double withNegatives = ClipContrastiveLoss.compute(gs, cs, ns, logScale).getDouble();
            assertEquals(byHand(g, c, n, b, 0, d, scale), plain, 1e-12);
            assertEquals(byHand(g, c, n, b, negatives, d, scale), withNegatives, 1e-12);
            assertTrue(withNegatives > plain, "negatives only add to the rows' denominators");
            NDArray none = m.zeros(new Shape(0, d), gs.getDataType());
            assertEquals(
                    plain, ClipContrastiveLoss.compute(gs, cs, none, logScale).getDouble(), 0.0);
            // the scale is clamped at 100, as CLIP's
            assertEquals(
                    byHand(g, c, n, b, negatives, d, 100),
                    ClipContrastiveLoss.compute(gs, cs, ns, m.create(Math.log(300))).getDouble(),
                    1e-12);
        }
    }

    @Test
    void gradientsWithNegativesMatchFiniteDifferences() {
        Random rnd = new Random(4);
        int b = 3;
        int negatives = 2;
        int d = 4;
        double[][] values = {
            gaussian(rnd, b * d), gaussian(rnd, b * d), gaussian(rnd, negatives * d), {Math.log(5)}
        };
        Shape[] shapes = {new Shape(b, d), new Shape(b, d), new Shape(negatives, d), new Shape()};
        Function<NDArray[], NDArray> f =
                in -> ClipContrastiveLoss.compute(in[0], in[1], in[2], in[3]);
        GradientCheck.assertClose(
                GradientCheck.numeric(values, shapes, f, 1e-6),
                GradientCheck.analytic(values, shapes, f),
                1e-7,
                new String[] {"g", "c", "negatives", "logit_scale"});
    }
}
