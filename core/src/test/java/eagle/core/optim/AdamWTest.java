package eagle.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private static final AdamConfig CFG = new AdamConfig(0.05, 0.9, 0.999, 1e-8, 0.2);

    /** torch.optim.AdamW's single-tensor update written out on doubles. */
    private static void handStep(double[] w, double[] m, double[] v, double[] g, int t) {
        double bc1 = 1 - Math.pow(CFG.beta1(), t);
        double bc2 = 1 - Math.pow(CFG.beta2(), t);
        for (int i = 0; i < w.length; i++) {
            w[i] *= 1 - CFG.lr() * CFG.weightDecay();
            m[i] = CFG.beta1() * m[i] + (1 - CFG.beta1()) * g[i];
            v[i] = CFG.beta2() * v[i] + (1 - CFG.beta2()) * g[i] * g[i];
            double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + CFG.eps();
            w[i] -= CFG.lr() / bc1 * m[i] / denom;
        }
    }

    @Test
    void threeStepsMatchTorchAdamWFormulaByHand() {
        Random rnd = new Random(4);
        int size = 6;
        double[] w = new double[size];
        double[] m = new double[size];
        double[] v = new double[size];
        float[] w0 = new float[size];
        for (int i = 0; i < size; i++) {
            w0[i] = (float) rnd.nextGaussian();
            w[i] = w0[i];
        }
        try (NDManager nd = NDManager.newBaseManager();
                AdamW opt = new AdamW(CFG)) {
            NDArray p = nd.create(w0, new Shape(2, 3));
            for (int t = 1; t <= 3; t++) {
                float[] gf = new float[size];
                double[] g = new double[size];
                for (int i = 0; i < size; i++) {
                    gf[i] = (float) (rnd.nextGaussian() * t);
                    g[i] = gf[i];
                }
                opt.step(Map.of("w", p), Map.of("w", nd.create(gf, new Shape(2, 3))));
                handStep(w, m, v, g, t);
                float[] got = p.toFloatArray();
                for (int i = 0; i < size; i++) {
                    assertEquals(w[i], got[i], 2e-6, "w[" + i + "] after step " + t);
                }
            }
            float[] mm = opt.stateTensors().get("w.exp_avg").toFloatArray();
            float[] vv = opt.stateTensors().get("w.exp_avg_sq").toFloatArray();
            for (int i = 0; i < size; i++) {
                assertEquals(m[i], mm[i], 1e-6);
                assertEquals(v[i], vv[i], 1e-6);
                assertTrue(Math.abs(w[i] - w0[i]) > 1e-3, "the steps moved w");
            }
            assertEquals(3, opt.stepCount());
            assertEquals(new Shape(2, 3), opt.stateTensors().get("w.exp_avg").getShape());
        }
    }

    @Test
    void parametersWithoutAGradientAreLeftAlone() {
        try (NDManager nd = NDManager.newBaseManager();
                AdamW opt = new AdamW(CFG)) {
            NDArray a = nd.ones(new Shape(3));
            NDArray frozen = nd.ones(new Shape(3));
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("a", a);
            params.put("frozen", frozen);
            opt.step(params, Map.of("a", nd.ones(new Shape(3))));
            assertArrayEquals(new float[] {1, 1, 1}, frozen.toFloatArray());
            assertTrue(a.toFloatArray()[0] < 1);
            assertEquals(3, opt.stateTensors().size()); // a.exp_avg, a.exp_avg_sq, step
        }
    }

    @Test
    void resumeIsBitForBitAndMemoryIsFlat() {
        Random rnd = new Random(8);
        try (NDManager nd = NDManager.newBaseManager();
                AdamW whole = new AdamW(CFG);
                AdamW first = new AdamW(CFG);
                AdamW resumed = new AdamW(CFG)) {
            NDArray pw = nd.randomNormal(new Shape(5, 4));
            NDArray pf = pw.duplicate();
            int open = nd.getManagedArrays().size();
            int state = -1;
            for (int s = 0; s < 300; s++) {
                NDArray g = nd.randomNormal(new Shape(5, 4));
                whole.step(Map.of("p", pw), Map.of("p", g));
                if (s < 150) {
                    first.step(Map.of("p", pf), Map.of("p", g));
                } else {
                    resumed.step(Map.of("p", pf), Map.of("p", g));
                }
                g.close();
                if (s == 149) {
                    Map<String, NDArray> saved = new LinkedHashMap<>();
                    first.stateTensors()
                            .forEach(
                                    (k, v) ->
                                            saved.put(
                                                    k, nd.create(v.toFloatArray(), v.getShape())));
                    resumed.loadState(saved);
                    saved.values().forEach(NDArray::close);
                    first.close();
                }
                if (s == 0) {
                    state = whole.openStateArrays();
                }
                assertEquals(open, nd.getManagedArrays().size(), "step " + s);
                assertEquals(state, whole.openStateArrays(), "step " + s);
            }
            assertEquals(2, state);
            assertArrayEquals(pw.toFloatArray(), pf.toFloatArray());
            assertEquals(300, resumed.stepCount());
        }
    }

    @Test
    void rejectsBadHyperParametersAndState() {
        assertThrows(IllegalArgumentException.class, () -> new AdamConfig(-1, 0.9, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamConfig(1, 1.0, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamConfig(1, 0.9, 0.999, 1e-8, -1));
        try (NDManager nd = NDManager.newBaseManager();
                AdamW opt = new AdamW(CFG)) {
            var e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    opt.loadState(
                                            Map.of(
                                                    "step", nd.create(new float[] {2.5f}),
                                                    "w.exp_avg", nd.zeros(new Shape(2)),
                                                    "w.exp_avg_sq", nd.zeros(new Shape(2)))));
            assertTrue(e.getMessage().contains("integer"), e.getMessage());
            var e2 =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    opt.loadState(
                                            Map.of(
                                                    "step", nd.create(new float[] {2f}),
                                                    "w.exp_avg", nd.zeros(new Shape(2)),
                                                    "w.galore_basis", nd.zeros(new Shape(2, 2)))));
            assertTrue(e2.getMessage().contains("unknown"), e2.getMessage());
            var e3 =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    opt.loadState(
                                            Map.of(
                                                    "step", nd.create(new float[] {2f}),
                                                    "w.exp_avg", nd.zeros(new Shape(2)))));
            assertTrue(e3.getMessage().contains("exp_avg_sq"), e3.getMessage());
        }
    }
}
