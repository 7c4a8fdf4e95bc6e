package eagle.core.train;

import ai.djl.ndarray.NDArray;
import eagle.core.optim.ParameterOptimizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Two optimizers behind one {@link ParameterOptimizer}, so that the text tower trains at its own
 * rate, or with its own optimizer (docs/METHOD.md §4): the text tower's parameters go to {@code
 * text}, at {@code multiplier·lr}; every other parameter (vision tower, logit scale, loss
 * parameters) goes to {@code main}, at lr.
 *
 * <p>The state is the union of the two, keyed by parameter name as each writes it, with one {@code
 * step} (both optimizers step together, so their counts agree); {@link #loadState} hands each
 * parameter's tensors back to the optimizer that owns it.
 */
final class TowerRateOptimizer implements ParameterOptimizer {

    private static final String STEP = "step";

    private final ParameterOptimizer main;
    private final ParameterOptimizer text;
    private final Predicate<String> isText;
    private final double multiplier;

    /**
     * @param isText whether a parameter name (or a state tensor's name, which starts with it)
     *     belongs to the text tower
     * @param multiplier the text tower's rate over the main rate, {@code > 0}
     */
    TowerRateOptimizer(
            ParameterOptimizer main,
            ParameterOptimizer text,
            Predicate<String> isText,
            double multiplier) {
        if (!(multiplier > 0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException(
                    "text rate multiplier must be finite and > 0, got " + multiplier);
        }
        this.main = main;
        this.text = text;
        this.isText = isText;
        this.multiplier = multiplier;
        text.setLearningRate(main.learningRate() * multiplier);
    }

    /**
     * The text tower in OpenAI CLIP's naming: everything under {@code transformer.} (docs/METHOD.md
     * §1).
     */
    static boolean isTextTower(String name) {
        return name.startsWith("transformer.");
    }

    @Override
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads) {
        for (String name : grads.keySet()) {
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException("gradient for unknown parameter '" + name + "'");
            }
        }
        main.step(part(params, false), part(grads, false));
        text.step(part(params, true), part(grads, true));
    }

    private <V> Map<String, V> part(Map<String, V> all, boolean textPart) {
        Map<String, V> out = new LinkedHashMap<>();
        all.forEach(
                (name, value) -> {
                    if (isText.test(name) == textPart) {
                        out.put(name, value);
                    }
                });
        return out;
    }

    @Override
    public LinkedHashMap<String, NDArray> stateTensors() {
        LinkedHashMap<String, NDArray> out = new LinkedHashMap<>(main.stateTensors());
        text.stateTensors()
                .forEach(
                        (name, array) -> {
                            if (!name.equals(STEP)) {
                                out.put(name, array);
                            }
                        });
        return out;
    }

    @Override
    public void loadState(Map<String, NDArray> state) {
        NDArray step = state.get(STEP);
        Map<String, NDArray> mainState = new LinkedHashMap<>(part(state, false));
        Map<String, NDArray> textState = new LinkedHashMap<>(part(state, true));
        if (step != null) {
            textState.put(STEP, step);
        }
        main.loadState(mainState);
        text.loadState(textState);
    }

    @Override
    public long stateBytes() {
        return main.stateBytes() + text.stateBytes();
    }

    @Override
    public int stepCount() {
        return main.stepCount();
    }

    @Override
    public double learningRate() {
        return main.learningRate();
    }

    @Override
    public void setLearningRate(double lr) {
        main.setLearningRate(lr);
        text.setLearningRate(lr * multiplier);
    }

    /** The text tower's optimizer (its rate is {@code multiplier·lr}). */
    ParameterOptimizer text() {
        return text;
    }

    @Override
    public void close() {
        main.close();
        text.close();
    }
}
