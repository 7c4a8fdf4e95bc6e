package eagle.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link LossWeighting#CLASS} against hand arithmetic, against {@link LossWeighting#INSTANCE} where
 * the two must agree, and against finite differences.
 */
class LossWeightingTest {

    // LossesTest's hand example (V, T, Y): v1 = (1, 0), v2 = (0.6, 0.8), v3 = (0, 1); t0 = (1, 0),
    // t1 = (0, 1); y = [0, 0, 1]. Class 0 has two instances, class 1 one, |C_B| = 2, so the
    // class-balanced weights are w = [1/4, 1/4, 1/2] where the paper's are [1/3, 1/3, 1/3].
    private static final double[] V = LossesTest.V;
    private static final double[] T = LossesTest.T;
    private static final int[] Y = LossesTest.Y;

    private static double log1pExp(double x) {
        return LossesTest.log1pExp(x);
    }

    @Test
    void imageToTextWeighsEveryClassPresentTheSame() {
        // s = 2 -> z = [[2, 0], [1.2, 1.6], [0, 2]]; CE_i = log(1 + e^-2), log(1 + e^0.4),
        // log(1 + e^-2)
        double expected = log1pExp(-2) / 4 + log1pExp(0.4) / 4 + log1pExp(-2) / 2;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z =
                    InstanceContrastiveLoss.logits(
                            m.create(V, new Shape(3, 2)),
                            m.create(T, new Shape(2, 2)),
                            m.create(Math.log(2)));
            InstanceContrastiveLoss balanced = new InstanceContrastiveLoss(LossWeighting.CLASS);
            InstanceContrastiveLoss paper = new InstanceContrastiveLoss();
            assertEquals(expected, balanced.imageToText(z, Y).getDouble(), 1e-12);
            // t2i is class-balanced in both
            assertEquals(
                    paper.textToInstance(z, Y).getDouble(),
                    balanced.textToInstance(z, Y).getDouble(),
                    0.0);
        }
    }

    @Test
    void sigmoidLossWeighsRowsPerClass() {
        // x = 10·cos − 10 = [[0, −10], [−4, −2], [−10, 0]]; row means of the BCE terms:
        double row1 = (Math.log(2) + log1pExp(-10)) / 2;
        double row2 = (log1pExp(4) + log1pExp(-2)) / 2;
        double row3 = (log1pExp(-10) + Math.log(2)) / 2;
        double expected = row1 / 4 + row2 / 4 + row3 / 2;
        try (NDManager m = NDManager.newBaseManager()) {
            double actual =
                    new SigmoidDistanceLoss(LossWeighting.CLASS)
                            .compute(
                                    m.create(V, new Shape(3, 2)),
                                    m.create(T, new Shape(2, 2)),
                                    Y,
                                    m.create(Math.log(10)),
                                    m.create(-10.0))
                            .getDouble();
            assertEquals(expected, actual, 1e-12);
        }
    }

    @Test
    void oneInstancePerClassGivesThePapersLoss() {
        Random rnd = new Random(11);
        int n = 4;
        int c = 6;
        int d = 5;
        int[] labels = {3, 0, 5, 1}; // all different: w_i = 1/N
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = m.create(LossesTest.randomUnitRows(rnd, n, d), new Shape(n, d));
            NDArray t = m.create(LossesTest.randomUnitRows(rnd, c, d), new Shape(c, d));
            NDArray scale = m.create(Math.log(7));
            assertEquals(
                    new EagleLoss(0f)
                            .compute(v, t, labels, scale, scale, m.create(-3.0), null, null)
                            .total()
                            .getDouble(),
                    new EagleLoss(0f, LossWeighting.CLASS)
                            .compute(v, t, labels, scale, scale, m.create(-3.0), null, null)
                            .total()
                            .getDouble(),
                    1e-12);
        }
    }

    @Test
    void classWeightedGradientsMatchFiniteDifferences() {
        Random rnd = new Random(12);
        int n = 5;
        int c = 3;
        int d = 3;
        int[] labels = {0, 0, 0, 2, 1}; // class 0 three times
        double[][] values = {
            LossesTest.randomUnitRows(rnd, n, d),
            LossesTest.randomUnitRows(rnd, c, d),
            {Math.log(4)},
            {Math.log(10)},
            {-10}
        };
        Shape[] shapes = {new Shape(n, d), new Shape(c, d), new Shape(), new Shape(), new Shape()};
        Function<NDArray[], NDArray> f =
                in ->
                        new EagleLoss(0f, LossWeighting.CLASS)
                                .compute(in[0], in[1], labels, in[2], in[3], in[4], null, null)
                                .total();
        GradientCheck.assertClose(
                GradientCheck.numeric(values, shapes, f, 1e-6),
                GradientCheck.analytic(values, shapes, f),
                1e-7,
                new String[] {"v", "t", "logit_scale", "sigmoid scale", "sigmoid bias"});
    }
}
