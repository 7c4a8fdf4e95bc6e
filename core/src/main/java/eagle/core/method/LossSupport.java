package eagle.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import eagle.core.model.HostData;

/** Shared pieces of the EAGLE losses: input checks, one-hot labels, a stable softplus. */
final class LossSupport {

    private LossSupport() {}

    /**
     * Checks v (N, D), t (C, D) and labels (N) with every label in [0, C).
     *
     * @throws IllegalArgumentException on any mismatch
     */
    static void checkInputs(NDArray v, NDArray t, int[] labels) {
        Shape vs = v.getShape();
        Shape ts = t.getShape();
        if (vs.dimension() != 2 || ts.dimension() != 2) {
            throw new IllegalArgumentException(
                    "instance embeddings must be (N, D) and class embeddings"
                            + " (C, D), got "
                            + vs
                            + " and "
                            + ts);
        }
        if (vs.get(1) != ts.get(1)) {
            throw new IllegalArgumentException(
                    "embedding widths differ: instances " + vs + ", classes " + ts);
        }
        if (labels == null || labels.length != vs.get(0)) {
            throw new IllegalArgumentException(
                    "need one label per instance: N = "
                            + vs.get(0)
                            + ", labels "
                            + (labels == null ? "null" : labels.length));
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("the batch has no instances");
        }
        checkLabels(labels, ts.get(0));
    }

    /**
     * Checks that every label is in [0, C).
     *
     * @throws IllegalArgumentException naming the first one that is not
     */
    static void checkLabels(int[] labels, long classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        "label "
                                + labels[i]
                                + " of instance "
                                + i
                                + " is outside [0, "
                                + classes
                                + ")");
            }
        }
    }

    /** Checks that a learnable scalar holds exactly one element. */
    static void checkScalar(NDArray x, String name) {
        if (x.size() != 1) {
            throw new IllegalArgumentException(
                    name + " must be a scalar, got shape " + x.getShape());
        }
    }

    /** Y with Y_ic = 1 iff labels[i] == c, (N, C), on {@code like}'s manager and data type. */
    static NDArray oneHot(int[] labels, int classes, NDArray like) {
        float[] y = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            y[i * classes + labels[i]] = 1f;
        }
        return HostData.floats(
                like.getManager(),
                y,
                new Shape(labels.length, classes),
                like.getDataType()); // (N, C)
    }

    /**
     * Per-instance weights w_i = 1 / (n_{y_i} · |C_B|), (N): every class present in the batch gets
     * the same total weight 1 / |C_B| however many of its instances the batch holds (n_c), so the
     * weights sum to 1. The t2i direction of L_ins weights its terms this way by construction;
     * {@link LossWeighting#CLASS} applies it to i2t and L_ce too.
     */
    static NDArray classBalancedWeights(int[] labels, NDArray like) {
        int classes = 0;
        for (int label : labels) {
            classes = Math.max(classes, label + 1);
        }
        int[] perClass = new int[classes];
        for (int label : labels) {
            perClass[label]++;
        }
        int present = 0;
        for (int count : perClass) {
            if (count > 0) {
                present++;
            }
        }
        float[] w = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            w[i] = 1f / ((float) perClass[labels[i]] * present);
        }
        return HostData.floats(
                like.getManager(), w, new Shape(labels.length), like.getDataType()); // (N)
    }

    /**
     * softplus(x) = log(1 + eˣ), computed as {@code x·[x>0] + log(1 + exp(−|x|))} with the
     * indicator a constant, so it neither overflows nor loses the derivative σ(x) at x = 0.
     */
    static NDArray softplus(NDArray x) {
        NDArray positive = x.gt(0).toType(x.getDataType(), false); // [x > 0], no gradient
        NDArray minusAbs = x.mul(positive.mul(-2).add(1)); // −|x|
        return x.mul(positive).add(minusAbs.exp().add(1).log());
    }
}
