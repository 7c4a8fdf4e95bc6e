package eagle.core.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/** Argument checks shared by the optimizers. */
final class OptimArgs {

    private OptimArgs() {}

    static void checkHyperParameters(
            double lr, double beta1, double beta2, double eps, double weightDecay) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and >= 0, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("eps must be >= 0, got " + eps);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
    }

    /** The parameter a gradient belongs to, with the shapes checked. */
    static NDArray parameterFor(Map<String, NDArray> params, String name, NDArray grad) {
        NDArray p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("gradient '" + name + "' names no parameter");
        }
        Shape ps = p.getShape();
        if (!ps.equals(grad.getShape())) {
            throw new IllegalArgumentException(
                    "gradient '"
                            + name
                            + "' has shape "
                            + grad.getShape()
                            + " but the parameter has "
                            + ps);
        }
        return p;
    }

    /** The values of an array as doubles, without leaving a converted copy open. */
    static double[] toDoubles(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        try (NDArray d = a.toType(DataType.FLOAT64, true)) {
            return d.toDoubleArray();
        }
    }

    /** The step count stored under {@code step} in a saved state. */
    static int stepFrom(NDArray step) {
        if (step.size() != 1) {
            throw new IllegalArgumentException(
                    "'step' must hold one value, has shape " + step.getShape());
        }
        double v = toDoubles(step)[0];
        if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'step' must be a non-negative integer, got " + v);
        }
        return (int) v;
    }
}
