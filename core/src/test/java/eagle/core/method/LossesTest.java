package eagle.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * InstanceContrastiveLoss, SigmoidDistanceLoss, RetentionLoss and EagleLoss against hand
 * arithmetic, finite differences and the "same class is not a negative" rule.
 */
class LossesTest {

    // The hand example: D = 2, three instances, two classes.
    //   v1 = (1, 0), v2 = (0.6, 0.8), v3 = (0, 1);  t0 = (1, 0), t1 = (0, 1);  labels y = [0, 0, 1]
    //   cosines v·t = [[1, 0], [0.6, 0.8], [0, 1]]
    static final double[] V = {1, 0, 0.6, 0.8, 0, 1};
    static final double[] T = {1, 0, 0, 1};
    static final int[] Y = {0, 0, 1};

    static double log1pExp(double x) {
        return Math.log(1 + Math.exp(x));
    }

    @Test
    void instanceLossOnTheHandExample() {
        // logit scale ln 2 -> s = 2 -> z = [[2, 0], [1.2, 1.6], [0, 2]]
        // i2t: CE_i = -log(e^{z_iy} / Σ_c e^{z_ic})
        //   i1: -log(e^2 / (e^2 + e^0))     = log(1 + e^-2)
        //   i2: -log(e^1.2 / (e^1.2 + e^1.6)) = log(1 + e^0.4)
        //   i3: -log(e^2 / (e^0 + e^2))     = log(1 + e^-2)
        double i2t = (log1pExp(-2) + log1pExp(0.4) + log1pExp(-2)) / 3;
        // t2i, class 0: positives {1, 2}, negatives {3} (z_30 = 0)
        //   i1: -log(e^2 / (e^2 + e^0))     = log(1 + e^-2)
        //   i2: -log(e^1.2 / (e^1.2 + e^0)) = log(1 + e^-1.2)      (i1 is NOT in i2's denominator)
        // class 1: positive {3}, negatives {1, 2} (z_11 = 0, z_21 = 1.6)
        //   i3: -log(e^2 / (e^2 + e^0 + e^1.6)) = log(1 + e^-2 + e^-0.4)
        double class0 = (log1pExp(-2) + log1pExp(-1.2)) / 2;
        double class1 = Math.log(1 + Math.exp(-2) + Math.exp(-0.4));
        double t2i = (class0 + class1) / 2;
        double expected = (i2t + t2i) / 2;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = m.create(V, new Shape(3, 2));
            NDArray t = m.create(T, new Shape(2, 2));
            NDArray scale = m.create(Math.log(2));
            InstanceContrastiveLoss loss = new InstanceContrastiveLoss();
            NDArray z = InstanceContrastiveLoss.logits(v, t, scale);
            assertEquals(i2t, loss.imageToText(z, Y).getDouble(), 1e-12);
            assertEquals(t2i, loss.textToInstance(z, Y).getDouble(), 1e-12);
            assertEquals(expected, loss.compute(v, t, Y, scale).getDouble(), 1e-12);
            // the same in float32
            assertEquals(
                    expected,
                    loss.compute(
                                    v.toType(DataType.FLOAT32, false),
                                    t.toType(DataType.FLOAT32, false),
                                    Y,
                                    scale.toType(DataType.FLOAT32, false))
                            .getFloat(),
                    1e-6);
        }
    }

    @Test
    void sigmoidLossOnTheHandExample() {
        // s' = exp(ln 10) = 10, b' = -10 -> x = 10·cos - 10 = [[0, -10], [-4, -2], [-10, 0]],
        // labels one-hot [[1, 0], [1, 0], [0, 1]]; BCE(x, 1) = log(1 + e^-x), BCE(x, 0) = log(1 +
        // e^x)
        //   (1,0): log(1 + e^0) = ln 2    (1,1): log(1 + e^-10)
        //   (2,0): log(1 + e^4)           (2,1): log(1 + e^-2)
        //   (3,0): log(1 + e^-10)         (3,1): ln 2
        double expected = (2 * Math.log(2) + 2 * log1pExp(-10) + log1pExp(4) + log1pExp(-2)) / 6;
        try (NDManager m = NDManager.newBaseManager()) {
            LinkedHashMap<String, NDArray> params = EagleLoss.createLossParameters(m);
            assertEquals(
                    List.of("loss.sigmoid_logit_scale", "loss.sigmoid_bias"),
                    List.copyOf(params.keySet()));
            assertEquals(Math.log(10), params.get(EagleLoss.SIGMOID_LOGIT_SCALE).getFloat(), 1e-6);
            assertEquals(-10f, params.get(EagleLoss.SIGMOID_BIAS).getFloat(), 0f);
            assertEquals(new Shape(), params.get(EagleLoss.SIGMOID_BIAS).getShape());
            NDArray v = m.create(V, new Shape(3, 2));
            NDArray t = m.create(T, new Shape(2, 2));
            double actual =
                    new SigmoidDistanceLoss()
                            .compute(v, t, Y, m.create(Math.log(10)), m.create(-10.0))
                            .getDouble();
            assertEquals(expected, actual, 1e-12);
            // float32 parameters as created, float32 embeddings
            float actual32 =
                    new SigmoidDistanceLoss()
                            .compute(
                                    v.toType(DataType.FLOAT32, false),
                                    t.toType(DataType.FLOAT32, false),
                                    Y,
                                    params.get(EagleLoss.SIGMOID_LOGIT_SCALE),
                                    params.get(EagleLoss.SIGMOID_BIAS))
                            .getFloat();
            assertEquals(expected, actual32, 1e-6);
        }
    }

    @Test
    void eagleLossAddsTheTermsAndTheRetention() {
        // retention with λ = 0.5: g = [(1, 0), (3, 4)], g0 = [(0, 2), (3, 4)]
        //   normalised: (1,0) vs (0,1): ‖·‖² = 2;  (0.6,0.8) vs (0.6,0.8): 0 -> mean 1 -> 0.5
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = m.create(V, new Shape(3, 2));
            NDArray t = m.create(T, new Shape(2, 2));
            NDArray g = m.create(new double[] {1, 0, 3, 4}, new Shape(2, 2));
            NDArray g0 = m.create(new double[] {0, 2, 3, 4}, new Shape(2, 2));
            LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
            params.put(EagleLoss.SIGMOID_LOGIT_SCALE, m.create(Math.log(10)));
            params.put(EagleLoss.SIGMOID_BIAS, m.create(-10.0));
            NDArray logitScale = m.create(Math.log(2));
            EagleLoss.LossParts parts =
                    new EagleLoss(0.5f).compute(v, t, Y, logitScale, params, g, g0);
            double ins = new InstanceContrastiveLoss().compute(v, t, Y, logitScale).getDouble();
            double ce =
                    new SigmoidDistanceLoss()
                            .compute(
                                    v,
                                    t,
                                    Y,
                                    params.get(EagleLoss.SIGMOID_LOGIT_SCALE),
                                    params.get(EagleLoss.SIGMOID_BIAS))
                            .getDouble();
            assertEquals(ins, parts.ins().getDouble(), 1e-12);
            assertEquals(ce, parts.ce().getDouble(), 1e-12);
            assertEquals(0.5, parts.retention().getDouble(), 1e-12);
            assertEquals(ins + ce + 0.5, parts.total().getDouble(), 1e-12);
            EagleLoss.LossParts off =
                    new EagleLoss(0f).compute(v, t, Y, logitScale, params, null, null);
            assertEquals(0.0, off.retention().getDouble(), 0.0);
            assertEquals(ins + ce, off.total().getDouble(), 1e-12);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    new EagleLoss(0.5f)
                                            .compute(v, t, Y, logitScale, params, null, null));
            assertTrue(e.getMessage().contains("not given"), e.getMessage());
            e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    new EagleLoss(0f)
                                            .compute(
                                                    v,
                                                    t,
                                                    new int[] {0, 2, 1},
                                                    logitScale,
                                                    params,
                                                    null,
                                                    null));
            assertTrue(e.getMessage().contains("label 2 of instance 1"), e.getMessage());
        }
    }

    @Test
    void aSecondInstanceOfTheSameClassIsNotInTheFirstsDenominator() {
        // batch A: a (class 0), b (class 1); batch B adds b2 (class 1).
        // ℓ_b1 must be -log(e^{z_b1} / (e^{z_b1} + e^{z_a1})) in both batches; had b2 been a
        // negative it
        // would be -log(e^{z_b1} / (e^{z_b1} + e^{z_a1} + e^{z_b2,1})), larger by a visible margin.
        double[] vA = {1, 0, 0.6, 0.8};
        double[] vB = {1, 0, 0.6, 0.8, 0.28, 0.96};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = m.create(T, new Shape(2, 2));
            NDArray scale = m.create(Math.log(5)); // s = 5: z_a1 = 0, z_b1 = 4, z_b2,1 = 4.8
            InstanceContrastiveLoss loss = new InstanceContrastiveLoss();
            double[] termsA =
                    loss.textToInstanceTerms(
                                    InstanceContrastiveLoss.logits(
                                            m.create(vA, new Shape(2, 2)), t, scale),
                                    new int[] {0, 1})
                            .toDoubleArray();
            double[] termsB =
                    loss.textToInstanceTerms(
                                    InstanceContrastiveLoss.logits(
                                            m.create(vB, new Shape(3, 2)), t, scale),
                                    new int[] {0, 1, 1})
                            .toDoubleArray();
            double own = -Math.log(Math.exp(4) / (Math.exp(4) + Math.exp(0)));
            double ifNegative =
                    -Math.log(Math.exp(4) / (Math.exp(4) + Math.exp(0) + Math.exp(4.8)));
            assertEquals(own, termsA[1 * 2 + 1], 1e-12);
            assertEquals(own, termsB[1 * 2 + 1], 1e-12);
            assertTrue(ifNegative - own > 1.0);
            // b2's own term likewise excludes b: -log(e^4.8 / (e^4.8 + e^0))
            assertEquals(-Math.log(Math.exp(4.8) / (Math.exp(4.8) + 1)), termsB[2 * 2 + 1], 1e-12);
            // entries off the positives are zero
            assertEquals(0.0, termsB[1 * 2], 0.0);
            assertEquals(0.0, termsB[0 * 2 + 1], 0.0);
        }
    }

    @Test
    void stableForExtremeLogitsAndForABatchOfOneClass() {
        // float32, s clamped to 100: z in {-100, 100}. Class 0 has positives a (z=100) and b
        // (z=-100)
        // and negative c (z=-100): ℓ_b = -log(e^-100 / (e^-100 + e^-100)) = ln 2; a naive shift by
        // the
        // column maximum 100 would underflow e^-200 to 0 in float32 and give infinity.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {100, -100, -100, 100, -100, 100}, new Shape(3, 2));
            float[] terms =
                    new InstanceContrastiveLoss()
                            .textToInstanceTerms(z, new int[] {0, 0, 1})
                            .toFloatArray();
            assertEquals(Math.log(2), terms[1 * 2], 1e-6);
            assertEquals(0.0, terms[0], 1e-6); // -log(e^100 / (e^100 + e^-100))
            // clamp: ln 1000 behaves as ln 100
            NDArray v = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            NDArray t = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            InstanceContrastiveLoss loss = new InstanceContrastiveLoss();
            assertEquals(
                    loss.compute(v, t, new int[] {0, 1}, m.create((float) Math.log(100)))
                            .getFloat(),
                    loss.compute(v, t, new int[] {0, 1}, m.create((float) Math.log(1000)))
                            .getFloat(),
                    0f);
        }
        // every instance of one class: t2i has no negatives and is 0, gradients stay finite
        double[] v = {0.6, 0.8, 1, 0};
        double[][] grads =
                GradientCheck.analytic(
                        new double[][] {v, T, {Math.log(3)}},
                        new Shape[] {new Shape(2, 2), new Shape(2, 2), new Shape()},
                        in ->
                                new InstanceContrastiveLoss()
                                        .textToInstance(
                                                InstanceContrastiveLoss.logits(in[0], in[1], in[2]),
                                                new int[] {1, 1}));
        for (double[] g : grads) {
            for (double x : g) {
                assertEquals(0.0, x, 1e-300);
            }
        }
        assertEquals(
                0.0,
                GradientCheck.evaluate(
                        new double[][] {v, T, {Math.log(3)}},
                        new Shape[] {new Shape(2, 2), new Shape(2, 2), new Shape()},
                        in ->
                                new InstanceContrastiveLoss()
                                        .textToInstance(
                                                InstanceContrastiveLoss.logits(in[0], in[1], in[2]),
                                                new int[] {1, 1})),
                1e-300);
    }

    /** rows random unit vectors of width d, row-major. */
    static double[] randomUnitRows(Random rnd, int rows, int d) {
        double[] x = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            double n = 0;
            for (int k = 0; k < d; k++) {
                x[r * d + k] = rnd.nextGaussian();
                n += x[r * d + k] * x[r * d + k];
            }
            for (int k = 0; k < d; k++) {
                x[r * d + k] /= Math.sqrt(n);
            }
        }
        return x;
    }

    @Test
    void instanceLossGradientsMatchFiniteDifferences() {
        Random rnd = new Random(5);
        int n = 5;
        int c = 4;
        int d = 3;
        int[] labels = {0, 2, 0, 1, 2}; // class 3 absent, classes 0 and 2 with two positives
        double[][] values = {randomUnitRows(rnd, n, d), randomUnitRows(rnd, c, d), {Math.log(4)}};
        Shape[] shapes = {new Shape(n, d), new Shape(c, d), new Shape()};
        Function<NDArray[], NDArray> f =
                in -> new InstanceContrastiveLoss().compute(in[0], in[1], labels, in[2]);
        GradientCheck.assertClose(
                GradientCheck.numeric(values, shapes, f, 1e-6),
                GradientCheck.analytic(values, shapes, f),
                1e-7,
                new String[] {"v", "t", "logit_scale"});
    }

    @Test
    void sigmoidLossGradientsMatchFiniteDifferences() {
        Random rnd = new Random(6);
        int n = 4;
        int c = 3;
        int d = 3;
        int[] labels = {2, 0, 2, 1};
        double[][] values = {
            randomUnitRows(rnd, n, d), randomUnitRows(rnd, c, d), {Math.log(10)}, {-10}
        };
        Shape[] shapes = {new Shape(n, d), new Shape(c, d), new Shape(), new Shape()};
        Function<NDArray[], NDArray> f =
                in -> new SigmoidDistanceLoss().compute(in[0], in[1], labels, in[2], in[3]);
        GradientCheck.assertClose(
                GradientCheck.numeric(values, shapes, f, 1e-6),
                GradientCheck.analytic(values, shapes, f),
                1e-7,
                new String[] {"v", "t", "scale", "bias"});
        // at a logit of exactly 0 (cos = 1, s' = 10, b' = -10) the derivative is σ(0) - y = -0.5
        double[][] g =
                GradientCheck.analytic(
                        new double[][] {{1, 0}, {1, 0}, {Math.log(10)}, {-10}},
                        new Shape[] {new Shape(1, 2), new Shape(1, 2), new Shape(), new Shape()},
                        in ->
                                new SigmoidDistanceLoss()
                                        .compute(in[0], in[1], new int[] {0}, in[2], in[3]));
        assertEquals(-0.5, g[3][0], 1e-12);
    }

    @Test
    void eagleLossGradientsMatchFiniteDifferences() {
        Random rnd = new Random(8);
        int n = 4;
        int c = 3;
        int d = 3;
        int b = 2;
        int[] labels = {1, 1, 0, 2};
        double[][] values = {
            randomUnitRows(rnd, n, d),
            randomUnitRows(rnd, c, d),
            {Math.log(7)},
            {Math.log(10) + 0.3},
            {-9.5},
            randomUnitRows(rnd, b, d)
        };
        double[] g0 = randomUnitRows(rnd, b, d);
        Shape[] shapes = {
            new Shape(n, d), new Shape(c, d), new Shape(), new Shape(), new Shape(), new Shape(b, d)
        };
        EagleLoss loss = new EagleLoss(0.7f);
        Function<NDArray[], NDArray> f =
                in ->
                        loss.compute(
                                        in[0],
                                        in[1],
                                        labels,
                                        in[2],
                                        in[3],
                                        in[4],
                                        in[5],
                                        in[0].getManager().create(g0, new Shape(b, d)))
                                .total();
        GradientCheck.assertClose(
                GradientCheck.numeric(values, shapes, f, 1e-6),
                GradientCheck.analytic(values, shapes, f),
                1e-7,
                new String[] {"v", "t", "logit_scale", "sigmoid_scale", "sigmoid_bias", "g"});
    }

    @Test
    void retentionIgnoresTheScaleOfTheFeaturesAndStopsTheBaseGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray g = m.create(new double[] {2, 0, 0, 5}, new Shape(2, 2));
            NDArray g0 = m.create(new double[] {1, 1, 0, 1}, new Shape(2, 2));
            g.setRequiresGradient(true);
            g0.setRequiresGradient(true);
            double value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray r = new RetentionLoss(2f).compute(g, g0);
                value = r.getDouble();
                gc.backward(r);
            }
            // row 0: (1,0) vs (1,1)/√2: 2 - 2/√2; row 1: identical -> 0; mean · λ = 2 - √2
            assertEquals(2 - Math.sqrt(2), value, 1e-12);
            for (double x : g0.getGradient().toType(DataType.FLOAT64, false).toDoubleArray()) {
                assertEquals(0.0, x, 0.0);
            }
            assertFalse(g.getGradient().abs().sum().getDouble() == 0.0);
        }
    }
}
