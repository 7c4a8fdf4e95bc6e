package eagle.core.optim;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer that updates named parameters in place from their gradients.
 *
 * <p>Parameters and gradients are keyed by the model's checkpoint names. Only the parameters that
 * have an entry in {@code grads} are updated; the rest are frozen for that step. Updates are in
 * place on the parameter arrays and must run outside a {@code GradientCollector} (DJL's PyTorch
 * engine has grad mode off there, so in-place arithmetic on leaf arrays is allowed). Every
 * temporary array of a step is closed before {@link #step} returns, so native memory stays flat
 * over a run. Optimizer state lives in the optimizer's own {@code NDManager} on the parameters'
 * device and is released by {@link #close()}.
 */
public interface ParameterOptimizer extends AutoCloseable {

    /**
     * One update of every parameter that has a gradient.
     *
     * @param params all trainable parameters by name; updated in place
     * @param grads gradients by parameter name, each of its parameter's shape
     * @throws IllegalArgumentException when a gradient names no parameter or its shape differs
     */
    void step(Map<String, NDArray> params, Map<String, NDArray> grads);

    /**
     * The optimizer state as named tensors for a checkpoint: {@code <param>.exp_avg}, {@code
     * <param>.exp_avg_sq}, optimizer-specific tensors (e.g. {@code <param>.galore_basis}) and
     * {@code step} (a float32 array of one element holding {@link #stepCount()}).
     *
     * <p>The arrays belong to the optimizer: read or copy them before the next {@link #step}, do
     * not close them.
     */
    LinkedHashMap<String, NDArray> stateTensors();

    /**
     * Replaces the whole state by copies of the given named tensors (as produced by {@link
     * #stateTensors()}), so that the next step continues the saved trajectory bit for bit.
     *
     * @throws IllegalArgumentException when a name is not one this optimizer writes or a tensor is
     *     malformed
     */
    void loadState(Map<String, NDArray> state);

    /**
     * Bytes held by the per-parameter state tensors (moments and bases; the step count excluded).
     */
    long stateBytes();

    /** Number of completed steps. */
    int stepCount();

    /** The learning rate used by the next step (a schedule sets it before each step). */
    double learningRate();

    /** Sets the learning rate for the following steps (see {@link LearningRateSchedule}). */
    void setLearningRate(double lr);

    /** Frees the optimizer's state arrays. */
    @Override
    void close();
}
