package eagle.core.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay, step for step as PyTorch's {@code torch.optim.AdamW}
 * (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", arXiv:1711.05101).
 *
 * <p>For a parameter W (any shape) with gradient G at step t = 1, 2, ...:
 *
 * <pre>
 *   W ← W − lr·wd·W                                 decoupled weight decay, applied first
 *   M ← β1·M + (1−β1)·G                             first moment, W's shape
 *   V ← β2·V + (1−β2)·G²                            second moment, W's shape
 *   W ← W − lr/(1−β1^t) · M / (√V/√(1−β2^t) + ε)
 * </pre>
 *
 * The last line equals W ← W − η_t · M/(√V + ε·√(1−β2^t)) with η_t = lr·√(1−β2^t)/(1−β1^t): the
 * bias correction folded into the step size, with ε placed on the bias-corrected root as PyTorch
 * does. (GaLore's reference AdamW, used by {@link GaloreAdamW}, puts ε on the raw root instead.)
 * Defaults of {@link AdamConfig#defaults}: β1 0.9, β2 0.999, ε 1e-8, wd 0.01.
 *
 * <p>State per parameter: {@code <param>.exp_avg} (M) and {@code <param>.exp_avg_sq} (V), both of
 * W's shape; plus {@code step}.
 */
public final class AdamW implements ParameterOptimizer {

    private final AdamConfig config;
    private double lr;
    private int step;
    private final StateArrays arrays = new StateArrays();
    private final LinkedHashMap<String, Moments> moments = new LinkedHashMap<>();

    /** First and second moment of one parameter, owned by the optimizer. */
    record Moments(NDArray expAvg, NDArray expAvgSq) {
        void close() {
            expAvg.close();
            expAvgSq.close();
        }
    }

    public AdamW(AdamConfig config) {
        this.config = config;
        this.lr = config.lr();
    }

    public AdamConfig config() {
        return config;
    }

    @Override
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads) {
        for (var e : grads.entrySet()) {
            OptimArgs.parameterFor(params, e.getKey(), e.getValue());
        }
        int t = step + 1;
        double b1 = config.beta1();
        double b2 = config.beta2();
        double biasCorrection1 = 1 - Math.pow(b1, t);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
        double stepSize = lr / biasCorrection1;
        for (var e : params.entrySet()) {
            NDArray g = grads.get(e.getKey());
            if (g == null) {
                continue;
            }
            // one scope per parameter: its full-size temporaries go before the next one's come
            try (NDScope scope = new NDScope()) {
                NDArray w = e.getValue();
                Moments s = moments.get(e.getKey());
                if (s == null) {
                    s =
                            new Moments(
                                    arrays.zeros(w.getDevice(), w.getShape(), w.getDataType()),
                                    arrays.zeros(w.getDevice(), w.getShape(), w.getDataType()));
                    moments.put(e.getKey(), s);
                }
                if (config.weightDecay() > 0) {
                    w.muli(1 - lr * config.weightDecay());
                }
                s.expAvg().muli(b1).addi(g.mul(1 - b1));
                s.expAvgSq().muli(b2).addi(g.mul(g).muli(1 - b2));
                NDArray denom = s.expAvgSq().sqrt().divi(biasCorrection2Sqrt).addi(config.eps());
                w.subi(s.expAvg().div(denom).muli(stepSize));
            }
        }
        step = t;
    }

    @Override
    public LinkedHashMap<String, NDArray> stateTensors() {
        LinkedHashMap<String, NDArray> out = new LinkedHashMap<>();
        for (var e : moments.entrySet()) {
            out.put(e.getKey() + StateNames.EXP_AVG, e.getValue().expAvg());
            out.put(e.getKey() + StateNames.EXP_AVG_SQ, e.getValue().expAvgSq());
        }
        out.put(StateNames.STEP, arrays.stepArray(step));
        return out;
    }

    @Override
    public void loadState(Map<String, NDArray> state) {
        StateNames.Parsed parsed = StateNames.parse(state, false);
        for (var e : parsed.perParameter().entrySet()) {
            StateNames.requireSameShape(e.getKey(), e.getValue());
        }
        LinkedHashMap<String, Moments> loaded = new LinkedHashMap<>();
        for (var e : parsed.perParameter().entrySet()) {
            Map<String, NDArray> s = e.getValue();
            loaded.put(
                    e.getKey(),
                    new Moments(
                            arrays.copyOf(s.get(StateNames.EXP_AVG)),
                            arrays.copyOf(s.get(StateNames.EXP_AVG_SQ))));
        }
        moments.values().forEach(Moments::close);
        moments.clear();
        moments.putAll(loaded);
        step = parsed.step();
    }

    @Override
    public long stateBytes() {
        long total = 0;
        for (Moments s : moments.values()) {
            total += StateArrays.bytes(s.expAvg()) + StateArrays.bytes(s.expAvgSq());
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
        moments.clear();
        arrays.close();
    }
}
