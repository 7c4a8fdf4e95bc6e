package eagle.core.method;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

/** Analytic gradients under a GradientCollector and central finite differences, both in float64. */
final class GradientCheck {

    private GradientCheck() {}

    /** The gradient of f with respect to every input, through DJL's autograd. */
    static double[][] analytic(double[][] values, Shape[] shapes, Function<NDArray[], NDArray> f) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] in = new NDArray[values.length];
            for (int k = 0; k < values.length; k++) {
                in[k] = m.create(values[k], shapes[k]);
                in[k].setRequiresGradient(true);
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = f.apply(in);
                if (loss.getDataType() != DataType.FLOAT64) {
                    throw new AssertionError("loss must stay float64, got " + loss.getDataType());
                }
                gc.backward(loss);
            }
            double[][] grads = new double[values.length][];
            for (int k = 0; k < values.length; k++) {
                grads[k] = in[k].getGradient().toDoubleArray();
            }
            return grads;
        }
    }

    /** Central differences (f(x + h e) − f(x − h e)) / 2h for every element of every input. */
    static double[][] numeric(
            double[][] values, Shape[] shapes, Function<NDArray[], NDArray> f, double h) {
        double[][] grads = new double[values.length][];
        for (int k = 0; k < values.length; k++) {
            grads[k] = new double[values[k].length];
            for (int e = 0; e < values[k].length; e++) {
                double saved = values[k][e];
                values[k][e] = saved + h;
                double plus = evaluate(values, shapes, f);
                values[k][e] = saved - h;
                double minus = evaluate(values, shapes, f);
                values[k][e] = saved;
                grads[k][e] = (plus - minus) / (2 * h);
            }
        }
        return grads;
    }

    static double evaluate(double[][] values, Shape[] shapes, Function<NDArray[], NDArray> f) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] in = new NDArray[values.length];
            for (int k = 0; k < values.length; k++) {
                in[k] = m.create(values[k], shapes[k]);
            }
            return f.apply(in).toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /** Asserts the two gradients agree to {@code tol} in max-abs error per input. */
    static void assertClose(double[][] expected, double[][] actual, double tol, String[] names) {
        for (int k = 0; k < expected.length; k++) {
            double worst = 0;
            double scale = 0;
            for (int e = 0; e < expected[k].length; e++) {
                worst = Math.max(worst, Math.abs(expected[k][e] - actual[k][e]));
                scale = Math.max(scale, Math.abs(expected[k][e]));
            }
            if (!(worst <= tol)) {
                throw new AssertionError(
                        "gradient of "
                                + names[k]
                                + " differs by "
                                + worst
                                + " (largest component "
                                + scale
                                + ")");
            }
            if (!(scale > 1e-6)) {
                throw new AssertionError(
                        "gradient of "
                                + names[k]
                                + " is (near) zero; the check would"
                                + " not catch a missing gradient");
            }
        }
    }

    /**
     * Asserts that exactly the given rows of a row-major (R, d) gradient are non-zero: the rows a
     * term asks about get gradients, the others none.
     */
    static void assertOnlyRowsMove(double[] grad, int d, java.util.Set<Integer> rows) {
        for (int row = 0; row < grad.length / d; row++) {
            double size = 0;
            for (int j = 0; j < d; j++) {
                size += Math.abs(grad[row * d + j]);
            }
            if (rows.contains(row) ? !(size > 0) : size != 0) {
                throw new AssertionError("row " + row + " has gradient size " + size);
            }
        }
    }
}
