package eagle.core.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GaLore-AdamW (docs/METHOD.md §5) as the reference implementation jiaweizzhao/GaLore ({@code
 * galore_torch/adamw.py}) does it: Adam in a low-rank projection of the gradient for the targeted
 * 2-D weights, plain AdamW for every other parameter, in one optimizer.
 *
 * <p>At 0-based step s (t = s + 1) for a targeted weight W (m, n) with gradient G (m, n), using the
 * {@link GaloreProjector} of W (basis refreshed by SVD of G at s = 0, T, 2T, ...):
 *
 * <pre>
 *   R = project(G)                         (m, r) if m ≥ n, else (r, n)
 *   M ← β1·M + (1−β1)·R                    low-rank shape
 *   V ← β2·V + (1−β2)·R²                   low-rank shape
 *   N = M / (√V + ε)
 *   W ← W − η_t · α · back(N)              η_t = lr·√(1−β2^t)/(1−β1^t), back(N) (m, n)
 *   W ← W − lr·wd·W                        decoupled weight decay, after the update (reference order)
 * </pre>
 *
 * Every other parameter takes the same lines with R = G, no projection and no α (the reference runs
 * them through the same loop), so ε sits on √V and weight decay comes after the update, unlike
 * {@link AdamW} which follows {@code torch.optim.AdamW}. The step count is global: every parameter
 * is expected to receive a gradient at every step, as in the reference's training loop.
 *
 * <p>With {@link MomentPolicy#REPROJECT}, when the basis of W is refreshed at a step s &gt; 0, M is
 * first carried into the new basis ({@link GaloreProjector#reprojectFrom}) and V is kept.
 *
 * <p>State per parameter: {@code <param>.exp_avg}, {@code <param>.exp_avg_sq} (low-rank shape for
 * targets, W's shape otherwise), {@code <param>.galore_basis} for targets (B (r, n) or A (m, r)),
 * plus {@code step}. {@link #loadState} restores all of it, so a resumed run repeats the
 * uninterrupted trajectory bit for bit.
 *
 * <p>Letters: m, n a weight's rows and columns, r the rank, T the update gap, α the scale.
 */
public final class GaloreAdamW implements ParameterOptimizer {

    private final GaloreConfig config;
    private double lr;
    private int step;
    private int refreshThreads = Runtime.getRuntime().availableProcessors();
    private final StateArrays arrays = new StateArrays();
    private final LinkedHashMap<String, ParamState> state = new LinkedHashMap<>();

    /** Moments of one parameter, plus its projector when it is a GaLore target. */
    private static final class ParamState {
        NDArray expAvg;
        NDArray expAvgSq;
        final GaloreProjector projector; // null for plain AdamW parameters

        ParamState(NDArray expAvg, NDArray expAvgSq, GaloreProjector projector) {
            this.expAvg = expAvg;
            this.expAvgSq = expAvgSq;
            this.projector = projector;
        }

        void close() {
            expAvg.close();
            expAvgSq.close();
            if (projector != null) {
                projector.close();
            }
        }
    }

    public GaloreAdamW(GaloreConfig config) {
        this.config = config;
        this.lr = config.lr();
    }

    public GaloreConfig config() {
        return config;
    }

    /**
     * How many host SVDs a basis refresh runs at once ({@link BasisRefresh}; the bases do not
     * depend on it). Default: one per processor.
     */
    void refreshThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.refreshThreads = threads;
    }

    /** Whether {@code name} gets the GaLore update. */
    public boolean isGaloreTarget(String name) {
        return config.galoreTarget().test(name);
    }

    @Override
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads) {
        checkBeforeUpdating(params, grads);
        int s = step;
        int t = s + 1;
        double b1 = config.beta1();
        double b2 = config.beta2();
        double stepSize = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
        Map<String, double[]> fresh =
                BasisRefresh.compute(
                        dueForRefresh(params, grads, s), config.rank(), refreshThreads);
        for (var e : params.entrySet()) {
            String name = e.getKey();
            NDArray g = grads.get(name);
            if (g == null) {
                continue;
            }
            // one scope per parameter: its full-size back-projection goes before the next one's
            try (NDScope scope = new NDScope()) {
                NDArray w = e.getValue();
                boolean galore = isGaloreTarget(name);
                ParamState st = state.get(name);
                NDArray r = g;
                GaloreProjector projector = null;
                if (galore) {
                    projector =
                            st != null
                                    ? st.projector
                                    : new GaloreProjector(
                                            config.rank(),
                                            config.updateGap(),
                                            (float) config.scale(),
                                            arrays.on(w.getDevice()));
                    NDArray previous =
                            st != null
                                            && config.momentPolicy() == MomentPolicy.REPROJECT
                                            && projector.refreshesAt(s)
                                    ? projector.basis().duplicate()
                                    : null;
                    r = projector.project(g, s, fresh.get(name)); // (m, r) or (r, n)
                    if (previous != null) {
                        NDArray carried = arrays.keep(projector.reprojectFrom(st.expAvg, previous));
                        st.expAvg.close();
                        st.expAvg = carried;
                    }
                }
                if (st == null) {
                    st =
                            new ParamState(
                                    arrays.zeros(w.getDevice(), r.getShape(), r.getDataType()),
                                    arrays.zeros(w.getDevice(), r.getShape(), r.getDataType()),
                                    projector);
                    state.put(name, st);
                }
                st.expAvg.muli(b1).addi(r.mul(1 - b1));
                st.expAvgSq.muli(b2).addi(r.mul(r).muli(1 - b2));
                NDArray n = st.expAvg.div(st.expAvgSq.sqrt().addi(config.eps()));
                NDArray update = galore ? projector.projectBack(n) : n; // (m, n)
                w.subi(update.muli(stepSize));
                if (config.weightDecay() > 0) {
                    w.subi(w.mul(lr * config.weightDecay()));
                }
            }
        }
        step = t;
    }

    /** The gradients of the GaLore targets whose basis step {@code s} computes afresh. */
    private Map<String, NDArray> dueForRefresh(
            Map<String, NDArray> params, Map<String, NDArray> grads, int s) {
        Map<String, NDArray> due = new LinkedHashMap<>();
        for (String name : params.keySet()) {
            NDArray g = grads.get(name);
            ParamState st = state.get(name);
            if (g != null && isGaloreTarget(name) && (st == null || st.projector.refreshesAt(s))) {
                due.put(name, g);
            }
        }
        return due;
    }

    /** All argument and restored-state checks, so that a bad call changes nothing. */
    private void checkBeforeUpdating(Map<String, NDArray> params, Map<String, NDArray> grads) {
        for (var e : grads.entrySet()) {
            String name = e.getKey();
            NDArray w = OptimArgs.parameterFor(params, name, e.getValue());
            boolean galore = isGaloreTarget(name);
            if (galore && w.getShape().dimension() != 2) {
                throw new IllegalArgumentException(
                        "GaLore target '" + name + "' must be 2-D, has shape " + w.getShape());
            }
            ParamState st = state.get(name);
            if (st == null) {
                continue;
            }
            Shape moments =
                    galore
                            ? GaloreProjector.lowRankShape(w.getShape(), config.rank())
                            : w.getShape();
            if (!st.expAvg.getShape().equals(moments)) {
                throw new IllegalArgumentException(
                        "optimizer state of '"
                                + name
                                + "' has moments "
                                + st.expAvg.getShape()
                                + ", expected "
                                + moments
                                + " for a parameter of shape "
                                + w.getShape());
            }
            if (galore && st.projector.basis() != null) {
                Shape basis = GaloreProjector.basisShape(w.getShape(), config.rank());
                if (!st.projector.basis().getShape().equals(basis)) {
                    throw new IllegalArgumentException(
                            "optimizer state of '"
                                    + name
                                    + "' has basis "
                                    + st.projector.basis().getShape()
                                    + ", expected "
                                    + basis);
                }
            }
        }
    }

    /** The projector of a GaLore target, or null before its first step. */
    public GaloreProjector projector(String name) {
        ParamState st = state.get(name);
        return st == null ? null : st.projector;
    }

    @Override
    public LinkedHashMap<String, NDArray> stateTensors() {
        LinkedHashMap<String, NDArray> out = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            ParamState st = e.getValue();
            out.put(e.getKey() + StateNames.EXP_AVG, st.expAvg);
            out.put(e.getKey() + StateNames.EXP_AVG_SQ, st.expAvgSq);
            if (st.projector != null) {
                out.put(e.getKey() + StateNames.GALORE_BASIS, st.projector.basis());
            }
        }
        out.put(StateNames.STEP, arrays.stepArray(step));
        return out;
    }

    @Override
    public void loadState(Map<String, NDArray> saved) {
        StateNames.Parsed parsed = StateNames.parse(saved, true);
        for (var e : parsed.perParameter().entrySet()) {
            String name = e.getKey();
            StateNames.requireSameShape(name, e.getValue());
            boolean hasBasis = e.getValue().containsKey(StateNames.GALORE_BASIS);
            if (hasBasis != isGaloreTarget(name)) {
                throw new IllegalArgumentException(
                        "'"
                                + name
                                + "' is "
                                + (isGaloreTarget(name) ? "" : "not ")
                                + "a GaLore target but its"
                                + " saved state "
                                + (hasBasis ? "has" : "lacks")
                                + " a galore_basis");
            }
            if (hasBasis && e.getValue().get(StateNames.GALORE_BASIS).getShape().dimension() != 2) {
                throw new IllegalArgumentException(
                        "'"
                                + name
                                + ".galore_basis' must be 2-D, has shape "
                                + e.getValue().get(StateNames.GALORE_BASIS).getShape());
            }
        }
        LinkedHashMap<String, ParamState> loaded = new LinkedHashMap<>();
        for (var e : parsed.perParameter().entrySet()) {
            Map<String, NDArray> s = e.getValue();
            GaloreProjector projector = null;
            NDArray basis = s.get(StateNames.GALORE_BASIS);
            if (basis != null) {
                projector =
                        new GaloreProjector(
                                config.rank(),
                                config.updateGap(),
                                (float) config.scale(),
                                arrays.on(basis.getDevice()));
                projector.restore(basis);
            }
            loaded.put(
                    e.getKey(),
                    new ParamState(
                            arrays.copyOf(s.get(StateNames.EXP_AVG)),
                            arrays.copyOf(s.get(StateNames.EXP_AVG_SQ)),
                            projector));
        }
        state.values().forEach(ParamState::close);
        state.clear();
        state.putAll(loaded);
        step = parsed.step();
    }

    @Override
    public long stateBytes() {
        long total = 0;
        for (ParamState st : state.values()) {
            total += StateArrays.bytes(st.expAvg) + StateArrays.bytes(st.expAvgSq);
            if (st.projector != null) {
                total += st.projector.basisBytes();
            }
        }
        return total;
    }

    @Override
    public int stepCount() {
        return step;
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        OptimArgs.checkHyperParameters(lr, config.beta1(), config.beta2(), config.eps(), 0);
        this.lr = lr;
    }

    /** Arrays open in the optimizer's own manager (for leak checks). */
    int openStateArrays() {
        return arrays.openArrays();
    }

    @Override
    public void close() {
        state.clear();
        arrays.close();
    }
}
