package eagle.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GaloreAdamWTest {

    private static final String TALL = "blocks.0.mlp.c_fc.weight"; // (m, n) with m ≥ n
    private static final String WIDE = "blocks.0.mlp.c_proj.weight"; // m < n
    private static final String BIAS = "blocks.0.mlp.c_fc.bias"; // plain AdamW

    private static final double LR = 0.1;
    private static final double WD = 0.1;
    private static final double ALPHA = 0.25;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-6;

    private static GaloreConfig config(int rank, int gap, MomentPolicy policy) {
        return new GaloreConfig(
                rank, gap, ALPHA, LR, B1, B2, EPS, WD, policy, GaloreConfig.CLIP_BLOCK_WEIGHTS);
    }

    /** Hand-computed state of one GaLore (or plain, with basis == null) parameter. */
    private static final class Hand {
        double[][] w;
        double[][] m;
        double[][] v;
        final double[][] basis; // B (r, n) when right, A (m, r) when left, null for plain
        final boolean right;

        Hand(double[][] w, double[][] basis, boolean right) {
            this.w = w;
            this.basis = basis;
            this.right = right;
        }

        /** One step t of the reference formulas on plain doubles. */
        void step(double[][] g, int t) {
            double[][] r =
                    basis == null
                            ? g
                            : right ? Dense.mul(g, Dense.t(basis)) : Dense.mul(Dense.t(basis), g);
            if (m == null) {
                m = new double[r.length][r[0].length];
                v = new double[r.length][r[0].length];
            }
            double[][] n = new double[r.length][r[0].length];
            for (int i = 0; i < r.length; i++) {
                for (int j = 0; j < r[0].length; j++) {
                    m[i][j] = B1 * m[i][j] + (1 - B1) * r[i][j];
                    v[i][j] = B2 * v[i][j] + (1 - B2) * r[i][j] * r[i][j];
                    n[i][j] = m[i][j] / (Math.sqrt(v[i][j]) + EPS);
                }
            }
            double eta = LR * Math.sqrt(1 - Math.pow(B2, t)) / (1 - Math.pow(B1, t));
            double[][] u;
            if (basis == null) {
                u = n;
            } else {
                u = right ? Dense.mul(n, basis) : Dense.mul(basis, n);
                for (double[] row : u) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= ALPHA;
                    }
                }
            }
            for (int i = 0; i < w.length; i++) {
                for (int j = 0; j < w[0].length; j++) {
                    double after = w[i][j] - eta * u[i][j];
                    w[i][j] = after - LR * WD * after; // decay after the update, as the reference
                }
            }
        }
    }

    @Test
    void twoStepsMatchAHandComputationForTallWideAndPlainParameters() {
        Random rnd = new Random(42);
        double[][] wTall = Dense.random(4, 3, rnd);
        double[][] wWide = Dense.random(3, 4, rnd);
        double[][] wBias = Dense.random(3, 1, rnd);
        List<double[][][]> grads = new ArrayList<>(); // per step: tall, wide, bias
        for (int s = 0; s < 2; s++) {
            grads.add(
                    new double[][][] {
                        Dense.random(4, 3, rnd), Dense.random(3, 4, rnd), Dense.random(3, 1, rnd)
                    });
        }
        // independent SVD of the first gradients (the basis is kept for 200 steps)
        Hand tall =
                new Hand(
                        copy(wTall),
                        Dense.t(Dense.topSingularColumns(grads.get(0)[0], 2, true)),
                        true);
        Hand wide =
                new Hand(copy(wWide), Dense.topSingularColumns(grads.get(0)[1], 2, false), false);
        Hand bias = new Hand(copy(wBias), null, true);

        try (NDManager nd = NDManager.newBaseManager();
                GaloreAdamW opt = new GaloreAdamW(config(2, 200, MomentPolicy.KEEP))) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put(TALL, nd.create(Dense.flat(wTall), new Shape(4, 3)));
            params.put(WIDE, nd.create(Dense.flat(wWide), new Shape(3, 4)));
            params.put(BIAS, nd.create(Dense.flat(wBias), new Shape(3)));
            for (int s = 0; s < 2; s++) {
                double[][][] g = grads.get(s);
                Map<String, NDArray> gm = new LinkedHashMap<>();
                gm.put(TALL, nd.create(Dense.flat(g[0]), new Shape(4, 3)));
                gm.put(WIDE, nd.create(Dense.flat(g[1]), new Shape(3, 4)));
                gm.put(BIAS, nd.create(Dense.flat(g[2]), new Shape(3)));
                opt.step(params, gm);
                tall.step(g[0], s + 1);
                wide.step(g[1], s + 1);
                bias.step(g[2], s + 1);
                assertClose(tall.w, Dense.of(params.get(TALL)), 2e-6, "tall after step " + s);
                assertClose(wide.w, Dense.of(params.get(WIDE)), 2e-6, "wide after step " + s);
                assertClose(bias.w, Dense.of(params.get(BIAS)), 2e-6, "bias after step " + s);
            }
            assertEquals(2, opt.stepCount());
            assertTrue(
                    Dense.maxAbsDiff(wTall, Dense.of(params.get(TALL))) > 1e-2, "the step moved W");
            // the plain parameter's moments match in value (no sign ambiguity there)
            assertClose(
                    bias.m, Dense.of(opt.stateTensors().get(BIAS + ".exp_avg")), 1e-7, "bias M");
            assertClose(
                    bias.v, Dense.of(opt.stateTensors().get(BIAS + ".exp_avg_sq")), 1e-8, "bias V");
        }
    }

    @Test
    void stateShapesFollowTheProjectionSide() {
        try (NDManager nd = NDManager.newBaseManager();
                GaloreAdamW opt = new GaloreAdamW(config(3, 200, MomentPolicy.KEEP))) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put(TALL, nd.randomNormal(new Shape(12, 6)));
            params.put(WIDE, nd.randomNormal(new Shape(6, 12)));
            params.put(BIAS, nd.randomNormal(new Shape(12)));
            opt.step(params, gradsLike(nd, params, new Random(1)));
            LinkedHashMap<String, NDArray> st = opt.stateTensors();
            assertEquals(new Shape(12, 3), st.get(TALL + ".exp_avg").getShape());
            assertEquals(new Shape(12, 3), st.get(TALL + ".exp_avg_sq").getShape());
            assertEquals(new Shape(3, 6), st.get(TALL + ".galore_basis").getShape());
            assertEquals(ProjectionSide.RIGHT, opt.projector(TALL).side());
            assertEquals(new Shape(3, 12), st.get(WIDE + ".exp_avg").getShape());
            assertEquals(new Shape(3, 12), st.get(WIDE + ".exp_avg_sq").getShape());
            assertEquals(new Shape(6, 3), st.get(WIDE + ".galore_basis").getShape());
            assertEquals(ProjectionSide.LEFT, opt.projector(WIDE).side());
            assertEquals(new Shape(12), st.get(BIAS + ".exp_avg").getShape());
            assertFalse(st.containsKey(BIAS + ".galore_basis"));
            assertEquals(1f, st.get("step").toFloatArray()[0]);
            assertEquals(9, st.size()); // 3 + 3 + 2 tensors and step
        }
    }

    @Test
    void basisChangesAtTheUpdateGapAndNotBefore() {
        try (NDManager nd = NDManager.newBaseManager();
                GaloreAdamW opt = new GaloreAdamW(config(2, 3, MomentPolicy.KEEP))) {
            Map<String, NDArray> params = Map.of(TALL, nd.randomNormal(new Shape(8, 5)));
            Random rnd = new Random(3);
            float[] previous = null;
            for (int s = 0; s < 7; s++) {
                opt.step(params, gradsLike(nd, params, rnd));
                float[] basis = opt.stateTensors().get(TALL + ".galore_basis").toFloatArray();
                assertEquals(s % 3 == 0, opt.projector(TALL).refreshedAt(s), "step " + s);
                if (previous != null) {
                    assertEquals(
                            s % 3 == 0,
                            !Arrays.equals(previous, basis),
                            "basis change at step " + s);
                }
                previous = basis;
            }
        }
    }

    @Test
    void keepAndReprojectDifferOnlyAfterARefreshAndReprojectMatchesTheHandFormula() {
        int gap = 3;
        Random init = new Random(9);
        float[] w0 = Dense.flat(Dense.random(8, 5, init));
        float[] u0 = Dense.flat(Dense.random(4, 9, init));
        List<float[][]> grads = new ArrayList<>();
        for (int s = 0; s <= gap; s++) {
            grads.add(
                    new float[][] {
                        Dense.flat(Dense.random(8, 5, init)), Dense.flat(Dense.random(4, 9, init))
                    });
        }
        try (NDManager nd = NDManager.newBaseManager();
                GaloreAdamW keep = new GaloreAdamW(config(2, gap, MomentPolicy.KEEP));
                GaloreAdamW repro = new GaloreAdamW(config(2, gap, MomentPolicy.REPROJECT))) {
            Map<String, NDArray> pk = new LinkedHashMap<>();
            pk.put(TALL, nd.create(w0, new Shape(8, 5)));
            pk.put(WIDE, nd.create(u0, new Shape(4, 9)));
            Map<String, NDArray> pr = new LinkedHashMap<>();
            pr.put(TALL, nd.create(w0, new Shape(8, 5)));
            pr.put(WIDE, nd.create(u0, new Shape(4, 9)));
            double[][] mTallBefore = null;
            double[][] oldTallBasis = null;
            double[][] mWideBefore = null;
            double[][] oldWideBasis = null;
            for (int s = 0; s <= gap; s++) {
                if (s == gap) {
                    mTallBefore = Dense.of(repro.stateTensors().get(TALL + ".exp_avg"));
                    oldTallBasis = Dense.of(repro.stateTensors().get(TALL + ".galore_basis"));
                    mWideBefore = Dense.of(repro.stateTensors().get(WIDE + ".exp_avg"));
                    oldWideBasis = Dense.of(repro.stateTensors().get(WIDE + ".galore_basis"));
                }
                keep.step(pk, grads(nd, grads.get(s)));
                repro.step(pr, grads(nd, grads.get(s)));
                boolean same = sameState(keep, repro) && sameParams(pk, pr);
                assertEquals(
                        s < gap,
                        same,
                        "KEEP and REPROJECT agree exactly iff no refresh yet, step " + s);
            }
            // both computed the same new basis from the same gradient; V is kept by both
            assertArrayEquals(
                    keep.stateTensors().get(TALL + ".galore_basis").toFloatArray(),
                    repro.stateTensors().get(TALL + ".galore_basis").toFloatArray());
            assertArrayEquals(
                    keep.stateTensors().get(TALL + ".exp_avg_sq").toFloatArray(),
                    repro.stateTensors().get(TALL + ".exp_avg_sq").toFloatArray());

            double[][] g = Dense.of(grads(nd, grads.get(gap)).get(TALL));
            double[][] bNew = Dense.of(repro.stateTensors().get(TALL + ".galore_basis"));
            double[][] carried = Dense.mul(Dense.mul(mTallBefore, oldTallBasis), Dense.t(bNew));
            double[][] r = Dense.mul(g, Dense.t(bNew));
            assertClose(
                    ema(carried, r),
                    Dense.of(repro.stateTensors().get(TALL + ".exp_avg")),
                    1e-6,
                    "REPROJECT M (tall)");
            assertClose(
                    ema(mTallBefore, r),
                    Dense.of(keep.stateTensors().get(TALL + ".exp_avg")),
                    1e-6,
                    "KEEP M");

            double[][] gw = Dense.of(grads(nd, grads.get(gap)).get(WIDE));
            double[][] aNew = Dense.of(repro.stateTensors().get(WIDE + ".galore_basis"));
            double[][] carriedW = Dense.mul(Dense.mul(Dense.t(aNew), oldWideBasis), mWideBefore);
            assertClose(
                    ema(carriedW, Dense.mul(Dense.t(aNew), gw)),
                    Dense.of(repro.stateTensors().get(WIDE + ".exp_avg")),
                    1e-6,
                    "REPROJECT M (wide)");
        }
    }

    @Test
    void refreshingBasesOnSeveralThreadsGivesTheSameTrajectoryAsOne() {
        Random rnd = new Random(23);
        // six targets (tall and wide), so a refresh on 4 threads runs in two waves
        String[] names = new String[6];
        int[][] shapes = new int[6][];
        for (int i = 0; i < 6; i++) {
            names[i] = "blocks." + i + (i % 2 == 0 ? ".mlp.c_fc.weight" : ".mlp.c_proj.weight");
            shapes[i] = i % 2 == 0 ? new int[] {9 + i, 6} : new int[] {5, 11 + i};
        }
        try (NDManager nd = NDManager.newBaseManager();
                GaloreAdamW serial = new GaloreAdamW(config(3, 2, MomentPolicy.REPROJECT));
                GaloreAdamW parallel = new GaloreAdamW(config(3, 2, MomentPolicy.REPROJECT))) {
            serial.refreshThreads(1);
            parallel.refreshThreads(4);
            Map<String, NDArray> ps = new LinkedHashMap<>();
            Map<String, NDArray> pp = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                float[] w = Dense.flat(Dense.random(shapes[i][0], shapes[i][1], rnd));
                ps.put(names[i], nd.create(w, new Shape(shapes[i][0], shapes[i][1])));
                pp.put(names[i], nd.create(w, new Shape(shapes[i][0], shapes[i][1])));
            }
            for (int s = 0; s < 5; s++) { // refreshes at steps 0, 2 and 4
                Map<String, NDArray> gs = new LinkedHashMap<>();
                Map<String, NDArray> gp = new LinkedHashMap<>();
                for (int i = 0; i < 6; i++) {
                    float[] g = Dense.flat(Dense.random(shapes[i][0], shapes[i][1], rnd));
                    gs.put(names[i], nd.create(g, new Shape(shapes[i][0], shapes[i][1])));
                    gp.put(names[i], nd.create(g, new Shape(shapes[i][0], shapes[i][1])));
                }
                serial.step(ps, gs);
                parallel.step(pp, gp);
                for (String k : ps.keySet()) {
                    assertArrayEquals(
                            ps.get(k).toFloatArray(), pp.get(k).toFloatArray(), k + " step " + s);
                    assertArrayEquals(
                            serial.projector(k).basis().toFloatArray(),
                            parallel.projector(k).basis().toFloatArray(),
                            k + " basis at step " + s);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MomentPolicy.class)
    void aResumedOptimizerContinuesTheSameTrajectoryBitForBit(MomentPolicy policy) {
        Random rnd = new Random(17);
        List<float[][]> grads = new ArrayList<>();
        for (int s = 0; s < 9; s++) {
            grads.add(
                    new float[][] {
                        Dense.flat(Dense.random(8, 5, rnd)),
                        Dense.flat(Dense.random(4, 9, rnd)),
                        Dense.flat(Dense.random(5, 1, rnd))
                    });
        }
        float[][] init = {
            Dense.flat(Dense.random(8, 5, rnd)),
            Dense.flat(Dense.random(4, 9, rnd)),
            Dense.flat(Dense.random(5, 1, rnd))
        };
        try (NDManager nd = NDManager.newBaseManager();
                GaloreAdamW whole = new GaloreAdamW(config(2, 3, policy));
                GaloreAdamW first = new GaloreAdamW(config(2, 3, policy));
                GaloreAdamW resumed = new GaloreAdamW(config(2, 3, policy))) {
            Map<String, NDArray> pw = params3(nd, init);
            Map<String, NDArray> pf = params3(nd, init);
            for (int s = 0; s < 5; s++) {
                whole.step(pw, grads3(nd, grads.get(s)));
                first.step(pf, grads3(nd, grads.get(s)));
            }
            // "checkpoint": every tensor through host arrays into another manager
            Map<String, NDArray> saved = new LinkedHashMap<>();
            Map<String, NDArray> pResumed = new LinkedHashMap<>();
            try (NDManager disk = NDManager.newBaseManager()) {
                first.stateTensors()
                        .forEach(
                                (k, v) ->
                                        saved.put(k, disk.create(v.toFloatArray(), v.getShape())));
                pf.forEach((k, v) -> pResumed.put(k, nd.create(v.toFloatArray(), v.getShape())));
                first.close();
                resumed.loadState(saved);
            } // the loaded state must not depend on the saved arrays staying open
            assertEquals(5, resumed.stepCount());
            for (int s = 5; s < 9; s++) { // crosses the refresh at step 6
                whole.step(pw, grads3(nd, grads.get(s)));
                resumed.step(pResumed, grads3(nd, grads.get(s)));
                for (String k : pw.keySet()) {
                    assertArrayEquals(
                            pw.get(k).toFloatArray(),
                            pResumed.get(k).toFloatArray(),
                            k + " step " + s);
                }
            }
            assertTrue(sameState(whole, resumed));
        }
    }

    @Test
    void memoryStaysFlatOverThreeHundredSteps() {
        try (NDManager nd = NDManager.newBaseManager();
                GaloreAdamW opt = new GaloreAdamW(config(3, 50, MomentPolicy.REPROJECT))) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put(TALL, nd.randomNormal(new Shape(16, 8)));
            params.put(WIDE, nd.randomNormal(new Shape(8, 16)));
            params.put(BIAS, nd.randomNormal(new Shape(8)));
            Random rnd = new Random(2);
            int paramArrays = nd.getManagedArrays().size();
            int stateArrays = -1;
            for (int s = 0; s < 300; s++) {
                Map<String, NDArray> g = gradsLike(nd, params, rnd);
                if (s % 2 == 0) {
                    try (NDScope callerScope =
                            new NDScope()) { // a caller's per-step scope keeps the state alive
                        opt.step(params, g);
                    }
                } else {
                    opt.step(params, g);
                }
                g.values().forEach(NDArray::close);
                opt.stateTensors(); // also the step array must not accumulate
                if (s == 0) {
                    stateArrays = opt.openStateArrays();
                }
                assertEquals(
                        paramArrays,
                        nd.getManagedArrays().size(),
                        "arrays in the params' manager, step " + s);
                assertEquals(
                        stateArrays,
                        opt.openStateArrays(),
                        "arrays in the optimizer's manager, step " + s);
            }
            assertEquals(2 * 3 + 2, stateArrays); // M, V for three parameters plus two bases
            for (NDArray p : params.values()) {
                for (float x : p.toFloatArray()) {
                    assertTrue(Float.isFinite(x));
                }
            }
        }
    }

    @Test
    void galoreStateIsSmallerThanAdamWsAsTheFormulaSays() {
        try (NDManager nd = NDManager.newBaseManager();
                GaloreAdamW galore = new GaloreAdamW(config(32, 200, MomentPolicy.KEEP));
                AdamW adam = new AdamW(AdamConfig.defaults(1e-3))) {
            Map<String, NDArray> pg = Map.of(TALL, nd.randomNormal(new Shape(256, 256)));
            Map<String, NDArray> pa = Map.of(TALL, nd.randomNormal(new Shape(256, 256)));
            Map<String, NDArray> g = Map.of(TALL, nd.randomNormal(new Shape(256, 256)));
            galore.step(pg, g);
            adam.step(pa, g);
            assertEquals((2L * 256 * 32 + 32 * 256) * Float.BYTES, galore.stateBytes());
            assertEquals(2L * 256 * 256 * Float.BYTES, adam.stateBytes());
        }
    }

    @Test
    void badCallsChangeNothingAndSayWhy() {
        try (NDManager nd = NDManager.newBaseManager();
                GaloreAdamW opt = new GaloreAdamW(config(2, 10, MomentPolicy.KEEP))) {
            NDArray w = nd.randomNormal(new Shape(4, 3));
            float[] before = w.toFloatArray();
            Map<String, NDArray> params = Map.of(TALL, w);
            var e1 =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> opt.step(params, Map.of("missing", nd.ones(new Shape(4, 3)))));
            assertTrue(e1.getMessage().contains("missing"));
            var e2 =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> opt.step(params, Map.of(TALL, nd.ones(new Shape(3, 4)))));
            assertTrue(e2.getMessage().contains("shape"));
            var e3 =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    opt.step(
                                            Map.of("x.c_fc.weight", nd.ones(new Shape(2, 2, 2))),
                                            Map.of("x.c_fc.weight", nd.ones(new Shape(2, 2, 2)))));
            assertTrue(e3.getMessage().contains("2-D"));
            assertArrayEquals(before, w.toFloatArray());
            assertEquals(0, opt.stepCount());
            var e4 =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    opt.loadState(
                                            Map.of(TALL + ".exp_avg", nd.zeros(new Shape(4, 2)))));
            assertTrue(e4.getMessage().contains("step"));
            var e5 =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    opt.loadState(
                                            Map.of(
                                                    "step",
                                                    nd.ones(new Shape(1)),
                                                    TALL + ".exp_avgz",
                                                    nd.zeros(new Shape(1)))));
            assertTrue(e5.getMessage().contains("unknown"));
            var e6 =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    opt.loadState(
                                            Map.of(
                                                    "step",
                                                    nd.ones(new Shape(1)),
                                                    TALL + ".exp_avg",
                                                    nd.zeros(new Shape(4, 2)),
                                                    TALL + ".exp_avg_sq",
                                                    nd.zeros(new Shape(4, 2)))));
            assertTrue(e6.getMessage().contains("galore_basis"));
        }
    }

    // --- helpers ---

    private static double[][] ema(double[][] m, double[][] r) {
        double[][] out = new double[m.length][m[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                out[i][j] = B1 * m[i][j] + (1 - B1) * r[i][j];
            }
        }
        return out;
    }

    private static boolean sameState(ParameterOptimizer a, ParameterOptimizer b) {
        var sa = a.stateTensors();
        var sb = b.stateTensors();
        if (!sa.keySet().equals(sb.keySet())) {
            return false;
        }
        for (String k : sa.keySet()) {
            if (!Arrays.equals(sa.get(k).toFloatArray(), sb.get(k).toFloatArray())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameParams(Map<String, NDArray> a, Map<String, NDArray> b) {
        for (String k : a.keySet()) {
            if (!Arrays.equals(a.get(k).toFloatArray(), b.get(k).toFloatArray())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, NDArray> grads(NDManager nd, float[][] g) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put(TALL, nd.create(g[0], new Shape(8, 5)));
        out.put(WIDE, nd.create(g[1], new Shape(4, 9)));
        return out;
    }

    private static Map<String, NDArray> params3(NDManager nd, float[][] v) {
        Map<String, NDArray> out = grads(nd, v);
        out.put(BIAS, nd.create(v[2], new Shape(5)));
        return out;
    }

    private static Map<String, NDArray> grads3(NDManager nd, float[][] g) {
        return params3(nd, g);
    }

    static Map<String, NDArray> gradsLike(NDManager nd, Map<String, NDArray> params, Random rnd) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            Shape s = e.getValue().getShape();
            float[] v = new float[Math.toIntExact(s.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            out.put(e.getKey(), nd.create(v, s));
        }
        return out;
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    static void assertClose(double[][] expected, double[][] actual, double tol, String what) {
        double d = Dense.maxAbsDiff(expected, actual);
        assertTrue(d <= tol, what + ": max |difference| " + d + " > " + tol);
    }
}
