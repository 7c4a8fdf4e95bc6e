package eagle.core.eval;

import ai.djl.ndarray.NDArray;
import eagle.core.model.HostData;

/**
 * Small dense-vector helpers shared by the metric classes (float storage, double accumulation), and
 * the one L2 normalisation of the project, for host vectors ({@link #normalized(float[])}) and
 * engine arrays ({@link #normalized(NDArray)}).
 */
public final class Vectors {

    private Vectors() {}

    /** v / ‖v‖, or a zero vector when ‖v‖ = 0. */
    public static float[] normalized(float[] v) {
        double n = Math.sqrt(dot(v, v));
        float[] out = new float[v.length];
        if (n == 0) {
            return out;
        }
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }

    /** Smallest norm divided by in {@link #normalized(NDArray)}, so a zero row stays zero. */
    public static final double NORM_EPS = 1e-12;

    /**
     * Each row of an engine array L2-normalised along its last axis, differentiably: x / max(‖x‖,
     * 1e-12), (…, D) → (…, D), in {@code x}'s manager.
     */
    public static NDArray normalized(NDArray x) {
        return x.div(HostData.atLeast(x.square().sum(new int[] {-1}, true).sqrt(), NORM_EPS));
    }

    /** Each row normalised: (R, D) → (R, D). */
    public static float[][] normalizedRows(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = normalized(rows[r]);
        }
        return out;
    }

    /** Σ a_i b_i in double precision. */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "vectors of length " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** cos(a, b); 0 when either is the zero vector. */
    public static double cosine(float[] a, float[] b) {
        double na = Math.sqrt(dot(a, a));
        double nb = Math.sqrt(dot(b, b));
        return na == 0 || nb == 0 ? 0 : dot(a, b) / (na * nb);
    }

    /** Mean of rows: (P, D) → (D). */
    public static float[] meanRow(float[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("mean of no rows");
        }
        double[] acc = new double[rows[0].length];
        for (float[] r : rows) {
            requireDim(r, acc.length, "row");
            for (int i = 0; i < acc.length; i++) {
                acc[i] += r[i];
            }
        }
        float[] out = new float[acc.length];
        for (int i = 0; i < acc.length; i++) {
            out[i] = (float) (acc[i] / rows.length);
        }
        return out;
    }

    static void requireDim(float[] v, int d, String what) {
        if (v.length != d) {
            throw new IllegalArgumentException(
                    what + " has dimension " + v.length + ", expected " + d);
        }
    }
}
