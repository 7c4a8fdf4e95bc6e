package eagle.core.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The optimizer's own {@link NDManager}: created on the device of the first parameter it sees, it
 * owns every state array and nothing else. Arrays handed to {@link #keep} leave any enclosing
 * {@link NDScope}, so a caller that wraps a training step in a scope does not free the state.
 */
final class StateArrays implements AutoCloseable {

    private NDManager manager;
    private NDManager hostManager;
    private NDArray stepArray;
    private int stepArrayValue = -1;

    /** The manager on {@code device}; all state of one optimizer lives on one device. */
    NDManager on(Device device) {
        if (manager == null) {
            manager = NDManager.newBaseManager(device);
            manager.setName("optimizer-state");
        } else if (!manager.getDevice().equals(device)) {
            throw new IllegalArgumentException(
                    "optimizer state is on "
                            + manager.getDevice()
                            + " but a parameter is on "
                            + device);
        }
        return manager;
    }

    /** A zero array owned by the optimizer. */
    NDArray zeros(Device device, Shape shape, DataType type) {
        return keep(on(device).zeros(shape, type));
    }

    /** Takes ownership of {@code a}: out of every scope, into the optimizer's manager. */
    NDArray keep(NDArray a) {
        NDScope.unregister(a);
        a.attach(on(a.getDevice()));
        return a;
    }

    /** A copy of {@code a} owned by the optimizer, on {@code a}'s device. */
    NDArray copyOf(NDArray a) {
        return keep(a.duplicate());
    }

    /** A one-element float32 array on the host holding {@code step}, owned by the optimizer. */
    NDArray stepArray(int step) {
        if (stepArray == null || stepArrayValue != step) {
            if (stepArray != null) {
                stepArray.close();
            }
            if (hostManager == null) {
                hostManager = NDManager.newBaseManager(Device.cpu());
                hostManager.setName("optimizer-step");
            }
            stepArray = hostManager.create(new float[] {step}, new Shape(1));
            NDScope.unregister(stepArray);
            stepArrayValue = step;
        }
        return stepArray;
    }

    /** Number of arrays currently open in the optimizer's manager (0 before the first step). */
    int openArrays() {
        return manager == null ? 0 : manager.getManagedArrays().size();
    }

    static long bytes(NDArray a) {
        return a.size() * a.getDataType().getNumOfBytes();
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
        if (hostManager != null) {
            hostManager.close();
            hostManager = null;
        }
        stepArray = null;
        stepArrayValue = -1;
    }
}
