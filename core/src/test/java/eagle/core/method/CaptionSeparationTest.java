package eagle.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The caption-negative hinge against the cosines computed by hand, and its gradients. */
class CaptionSeparationTest {

    @Test
    void theLossIsTheMeanHingeOfEachNegativeAgainstItsOwnCaption() {
        // captions (1, 0), (0, 1), (1, 1); negative k belongs to caption owners[k]
        double[] c = {1, 0, 0, 1, 1, 1};
        double[] n = {3, 4, 1, 0, 0, -2};
        long[] owners = {2, 0, 1};
        double cos0 = (3 + 4) / (5 * Math.sqrt(2)); // 0.9899
        double cos1 = 1.0;
        double cos2 = -1.0;
        double margin = 0.75; // exact in float, as the engine holds it
        double expected =
                (Math.max(0, cos0 - margin)
                                + Math.max(0, cos1 - margin)
                                + Math.max(0, cos2 - margin))
                        / 3;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss =
                    CaptionSeparation.compute(
                            m.create(c, new Shape(3, 2)),
                            m.create(n, new Shape(3, 2)),
                            owners,
                            margin);
            assertEquals(expected, loss.getDouble(), 1e-12);
            assertEquals(
                    0.0,
                    CaptionSeparation.compute(
                                    m.create(c, new Shape(3, 2)),
                                    m.create(n, new Shape(3, 2)),
                                    owners,
                                    1.0)
                            .getDouble(),
                    0.0);
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            CaptionSeparation.compute(
                                    m.create(c, new Shape(3, 2)),
                                    m.create(n, new Shape(3, 2)),
                                    new long[] {0},
                                    margin));
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Random rnd = new Random(9);
        double[] c = new double[4 * 3];
        double[] n = new double[3 * 3];
        for (int i = 0; i < c.length; i++) {
            c[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < n.length; i++) {
            n[i] = c[(i + 3) % c.length] + 0.3 * rnd.nextGaussian(); // close to a caption
        }
        double[][] values = {c, n};
        Shape[] shapes = {new Shape(4, 3), new Shape(3, 3)};
        Function<NDArray[], NDArray> f =
                in -> CaptionSeparation.compute(in[0], in[1], new long[] {1, 2, 3}, -0.5);
        GradientCheck.assertClose(
                GradientCheck.numeric(values, shapes, f, 1e-6),
                GradientCheck.analytic(values, shapes, f),
                1e-7,
                new String[] {"captions", "negatives"});
    }
}
