package eagle.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import eagle.core.eval.Vectors;
import eagle.core.model.HostData;
import java.util.Arrays;

/**
 * The patch presence term (ours, not the paper's, an option; docs/METHOD.md §3): L_ce's yes/no
 * decisions asked of single patches instead of pooled instances.
 *
 * <pre>
 *   owner(b, p) = the instance i of image b with the largest a_ip ≥ 1/2, if any   (a patch at least
 *                 half covered by one mask belongs to it; the first instance wins a tie)
 *   Ŝ_bp        = S_bp / ‖S_bp‖                                                 (M, D), the M owned patches
 *   x_bp,c      = (Ŝ_bp · t_c) · exp(a) + b′                                   (M, C), L_ce's own a and b′
 *   L_patch     = λ_p · L_ce(Ŝ, t, y_owner)                                      averaged as L_ce averages
 * </pre>
 *
 * A presence question is answered from the best-matching single patch (docs/METHOD.md §6), while
 * L_ce decides on the mean of a mask's patches: a patch of one object can still match an absent
 * class's prompt as long as the mean does not. This term puts the same decisions on the patches
 * themselves. Patches no mask covers by half (background, object borders) are left out: pushing the
 * background down was measured to raise the popular false-positive rate (docs/BENCHMARKS.md).
 *
 * <p>Shapes: B images, P patches, D joint embedding width, C classes, M owned patches.
 */
public final class PatchPresenceLoss {

    /** A patch belongs to an instance whose mask covers at least this fraction of it. */
    public static final float MIN_COVERAGE = 0.5f;

    private final float lambda;
    private final SigmoidDistanceLoss ce;

    /**
     * @param lambda λ_p ≥ 0 (0: off)
     * @param weighting how the owned patches are averaged (as L_ce averages instances)
     */
    public PatchPresenceLoss(float lambda, LossWeighting weighting) {
        if (!(lambda >= 0) || Float.isInfinite(lambda)) {
            throw new IllegalArgumentException("patch presence lambda must be >= 0, got " + lambda);
        }
        this.lambda = lambda;
        this.ce = new SigmoidDistanceLoss(weighting);
    }

    public float lambda() {
        return lambda;
    }

    /**
     * The owned patches of a batch.
     *
     * @param rows b·P + p of each owned patch, ascending, (M)
     * @param labels the class of its owner, (M)
     */
    public record OwnedPatches(long[] rows, int[] labels) {

        public int size() {
            return rows.length;
        }
    }

    /**
     * Which patches belong to which instance.
     *
     * @param images B
     * @param imageIndex b(i) of each instance, (N)
     * @param coverage a_ip, (N, P)
     * @param labels y_i, (N)
     */
    public static OwnedPatches owned(
            int images, int[] imageIndex, float[][] coverage, int[] labels) {
        if (imageIndex.length != coverage.length || labels.length != coverage.length) {
            throw new IllegalArgumentException(
                    "need one image index, coverage row and label per instance, got "
                            + imageIndex.length
                            + ", "
                            + coverage.length
                            + " and "
                            + labels.length);
        }
        int p = coverage.length == 0 ? 0 : coverage[0].length;
        int[] owner = new int[images * p];
        Arrays.fill(owner, -1);
        for (int i = 0; i < coverage.length; i++) {
            if (coverage[i].length != p) {
                throw new IllegalArgumentException(
                        "coverage row " + i + " has " + coverage[i].length + " entries, not " + p);
            }
            for (int j = 0; j < p; j++) {
                int cell = imageIndex[i] * p + j;
                float a = coverage[i][j];
                if (a >= MIN_COVERAGE && (owner[cell] < 0 || a > coverage[owner[cell]][j])) {
                    owner[cell] = i;
                }
            }
        }
        int m = 0;
        for (int o : owner) {
            m += o >= 0 ? 1 : 0;
        }
        long[] rows = new long[m];
        int[] ys = new int[m];
        int k = 0;
        for (int cell = 0; cell < owner.length; cell++) {
            if (owner[cell] >= 0) {
                rows[k] = cell;
                ys[k++] = labels[owner[cell]];
            }
        }
        return new OwnedPatches(rows, ys);
    }

    /**
     * L_patch.
     *
     * @param patches S, (B, P, D), unnormalised
     * @param t class embeddings, (C, D), normalised
     * @param owned the batch's owned patches ({@link #owned})
     * @param scale log of L_ce's s′, scalar
     * @param bias L_ce's b′, scalar
     * @return a scalar: 0 (and no graph) when λ_p = 0 or no patch is owned
     */
    public NDArray compute(
            NDArray patches, NDArray t, OwnedPatches owned, NDArray scale, NDArray bias) {
        NDManager manager = patches.getManager();
        if (lambda == 0f || owned.size() == 0) {
            return HostData.scalar(manager, 0, patches.getDataType()); // ()
        }
        long b = patches.getShape().get(0);
        long p = patches.getShape().get(1);
        long d = patches.getShape().get(2);
        NDArray index = HostData.longs(manager, owned.rows()); // (M)
        NDArray selected = patches.reshape(b * p, d).get(index); // (M, D)
        NDArray s = Vectors.normalized(selected); // (M, D)
        return HostData.times(ce.compute(s, t, owned.labels(), scale, bias), lambda); // ()
    }
}
