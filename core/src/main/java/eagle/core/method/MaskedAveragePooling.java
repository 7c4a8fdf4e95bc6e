package eagle.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import eagle.core.eval.Vectors;
import eagle.core.model.HostData;

/**
 * Masked average pooling φ(I, m) of EAGLE (arXiv 2501.02699; docs/METHOD.md §2): the instance
 * embedding is the normalised mean of the patch features inside the instance's mask.
 *
 * <pre>
 *   selected(i) = { p : a_ip &gt; τ }, or { argmax_p a_ip } when that set is empty
 *   W_ip        = 1/|selected(i)| if p ∈ selected(i), else 0                (N, P)
 *   u_i         = Σ_p W_ip · S_{b(i), p}                                     (N, D)
 *   v_i         = u_i / max(‖u_i‖₂, 1e-12)                                    (N, D)
 * </pre>
 *
 * a_ip is the fraction of patch p covered by mask i ({@link eagle.core.mask.PatchCoverage}); τ = 0
 * is the paper's "any overlap". The weights are built on the host, grouped by image into (B, M, P)
 * with M the most instances of any one image (rows of images with fewer instances are zero), and
 * applied as one batched matmul {@code (B, M, P) × (B, P, D)}; the N real rows of the (B·M, D)
 * product are then taken out. Gradients flow to the patch features (and through them to the
 * encoder) under a {@code GradientCollector}. The patches are never gathered per instance: that (N,
 * P, D) copy and its scatter-add backward cost a few percent of a {@code tiny} training step.
 *
 * <p>Shapes: B images, N instances, P patches, D joint embedding width.
 */
public final class MaskedAveragePooling {

    private final float tau;

    /**
     * @param tau coverage threshold τ ∈ [0, 1); a patch is inside the mask when a_p &gt; τ
     */
    public MaskedAveragePooling(float tau) {
        if (!(tau >= 0f && tau < 1f)) {
            throw new IllegalArgumentException("tau must be in [0, 1), got " + tau);
        }
        this.tau = tau;
    }

    public float tau() {
        return tau;
    }

    /**
     * Pools the instances.
     *
     * @param patches patch features S, (B, P, D)
     * @param imageIndex b(i) for each instance, (N), each in [0, B)
     * @param coverage a_ip, (N, P), each in [0, 1] with at least one positive entry per row
     * @return v, (N, D), rows L2-normalised, on the manager of {@code patches}
     * @throws IllegalArgumentException on a shape mismatch, an image index out of range, a coverage
     *     value outside [0, 1] or an all-zero coverage row
     */
    public NDArray pool(NDArray patches, int[] imageIndex, float[][] coverage) {
        Shape shape = patches.getShape();
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException("patches must be (B, P, D), got " + shape);
        }
        long b = shape.get(0);
        int p = Math.toIntExact(shape.get(1));
        long d = shape.get(2);
        if (imageIndex == null || coverage == null || imageIndex.length != coverage.length) {
            throw new IllegalArgumentException(
                    "imageIndex and coverage must both have one entry per"
                            + " instance, got "
                            + (imageIndex == null ? "null" : imageIndex.length)
                            + " and "
                            + (coverage == null ? "null" : coverage.length));
        }
        int n = imageIndex.length;
        if (n == 0) {
            throw new IllegalArgumentException("no instances to pool");
        }
        int[] slot = new int[n]; // instance i's row among its image's instances
        int[] perImage = new int[(int) b];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (imageIndex[i] < 0 || imageIndex[i] >= b) {
                throw new IllegalArgumentException(
                        "instance "
                                + i
                                + " has image index "
                                + imageIndex[i]
                                + " outside [0, "
                                + b
                                + ")");
            }
            slot[i] = perImage[imageIndex[i]]++;
            m = Math.max(m, perImage[imageIndex[i]]);
        }
        float[] weights = new float[(int) b * m * p]; // (B, M, P)
        long[] rows = new long[n]; // instance i's row of the (B·M, D) product
        for (int i = 0; i < n; i++) {
            if (coverage[i] == null || coverage[i].length != p) {
                throw new IllegalArgumentException(
                        "coverage row "
                                + i
                                + " has "
                                + (coverage[i] == null ? "no" : String.valueOf(coverage[i].length))
                                + " entries; the patches have P = "
                                + p);
            }
            float[] w;
            try {
                w = selectionWeights(coverage[i], tau);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("instance " + i + ": " + e.getMessage(), e);
            }
            rows[i] = (long) imageIndex[i] * m + slot[i];
            System.arraycopy(w, 0, weights, (int) rows[i] * p, p);
        }
        NDManager manager = patches.getManager();
        try (NDManager scope = manager.newSubManager()) {
            NDArray index = HostData.longs(scope, rows); // (N)
            NDArray w =
                    HostData.floats(
                            scope, weights, new Shape(b, m, p), patches.getDataType()); // (B, M, P)
            NDArray sums = w.matMul(patches).reshape(b * m, d); // (B, M, D) -> (B·M, D)
            sums.attach(scope);
            NDArray pooled = sums.get(index); // (N, D)
            pooled.attach(scope);
            NDArray v = Vectors.normalized(pooled); // (N, D)
            v.attach(manager);
            return v;
        }
    }

    /**
     * The pooling weights of one instance: 1/|selected| on the patches with a_p &gt; τ, or 1 on the
     * single largest-coverage patch (the first one on ties) when none passes.
     *
     * @param coverage a_p for p = 0..P−1, each in [0, 1]
     * @param tau τ
     * @return (P) weights summing to 1
     * @throws IllegalArgumentException for a value outside [0, 1] (or NaN) or an all-zero row
     */
    public static float[] selectionWeights(float[] coverage, float tau) {
        int p = coverage.length;
        int selected = 0;
        int best = -1;
        for (int j = 0; j < p; j++) {
            float a = coverage[j];
            if (!(a >= 0f && a <= 1f)) {
                throw new IllegalArgumentException(
                        "coverage of patch " + j + " is " + a + ", outside [0, 1]");
            }
            if (a > tau) {
                selected++;
            }
            if (a > 0f && (best < 0 || a > coverage[best])) {
                best = j;
            }
        }
        if (best < 0) {
            throw new IllegalArgumentException(
                    "mask covers no patch (all "
                            + p
                            + " coverage fractions are 0); an empty or cropped-away mask cannot be pooled");
        }
        float[] w = new float[p];
        if (selected == 0) {
            w[best] = 1f;
            return w;
        }
        float share = 1f / selected;
        for (int j = 0; j < p; j++) {
            if (coverage[j] > tau) {
                w[j] = share;
            }
        }
        return w;
    }
}
