package eagle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays made from Java data that own their memory.
 *
 * <p>DJL's PyTorch engine wraps a Java direct buffer with {@code torch::from_blob} on the CPU: the
 * tensor does not own its storage, the Java buffer does. Autograd keeps such a tensor for the
 * backward pass (the index of a gather, the weights of a matmul), but once the NDArray is closed
 * the buffer can be collected and its memory reused, and backward then reads garbage (seen as
 * "index 139879032978121 is out of bounds"). Every array built from host data that can take part in
 * a backward pass is therefore cloned into storage PyTorch owns, and the borrowed one is closed at
 * once.
 */
public final class HostData {

    private HostData() {}

    /** A float array of the given shape and data type, in storage the engine owns. */
    public static NDArray floats(NDManager manager, float[] data, Shape shape, DataType type) {
        try (NDArray borrowed = manager.create(data, shape)) {
            return type == DataType.FLOAT32 ? borrowed.duplicate() : borrowed.toType(type, true);
        }
    }

    /** A 0-d array holding {@code value}, in storage the engine owns. */
    public static NDArray scalar(NDManager manager, double value, DataType type) {
        try (NDArray borrowed = manager.create((float) value)) {
            return type == DataType.FLOAT32 ? borrowed.duplicate() : borrowed.toType(type, true);
        }
    }

    /**
     * {@code x · c}. DJL's {@code mul(Number)} builds a borrowed scalar and closes it, but the
     * product's backward needs it; this one's scalar is owned by the engine.
     */
    public static NDArray times(NDArray x, double c) {
        return x.mul(scalar(x.getManager(), c, x.getDataType()));
    }

    /** {@code x / c} with an engine-owned scalar (see {@link #times}). */
    public static NDArray over(NDArray x, double c) {
        return x.div(scalar(x.getManager(), c, x.getDataType()));
    }

    /**
     * {@code max(x, c)} elementwise with an engine-owned scalar (its backward compares against c).
     */
    public static NDArray atLeast(NDArray x, double c) {
        return x.maximum(scalar(x.getManager(), c, x.getDataType()));
    }

    /** {@code min(x, c)} elementwise with an engine-owned scalar. */
    public static NDArray atMost(NDArray x, double c) {
        return x.minimum(scalar(x.getManager(), c, x.getDataType()));
    }

    /** A 1-D int64 array (indices), in storage the engine owns. */
    public static NDArray longs(NDManager manager, long[] data) {
        try (NDArray borrowed = manager.create(data)) {
            return borrowed.duplicate();
        }
    }
}
