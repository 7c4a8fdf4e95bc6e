package eagle.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import eagle.core.eval.Vectors;
import eagle.core.model.HostData;
import eagle.core.text.PlacePhrases;
import java.util.Arrays;

/**
 * The place term (ours, not the paper's, an option; docs/METHOD.md §3): each patch a mask covers by
 * half is asked where its instance lies, among its class's place phrases.
 *
 * <pre>
 *   q(i)     = the side of the image instance i's mask leans to (left, right, top, bottom), from the
 *              centre of its patch coverage: none when the centre is within 0.15 of the image's side
 *              of the middle (the larger offset picks between left/right and top/bottom)
 *   owner(p) = as the patch presence term's (a_ip ≥ 1/2), kept only when the owner has a place
 *   Ŝ_p      = S_p / ‖S_p‖                                     (M, D)   the M kept patches
 *   u        = normalise(T("a c on the left"), …)              (C·Q, D) PlacePhrases, Q = 4
 *   z_pq     = s · Ŝ_p · u_(y_owner, q)                         (M, Q)   s = min(exp(logit_scale), 100)
 *   L_place  = λ_s · (1/M) Σ_p −log softmax_q(z_p·)[q(owner)]
 * </pre>
 *
 * Every other target of the method is a class prompt that says nothing of where an object is, and a
 * question about place ("a red triangle on the left") is answered from a single patch
 * (docs/METHOD.md §6), so nothing asks a patch to keep where its object lies. The masks say it:
 * this term asks the patches of an object on the left to match "on the left" better than the other
 * three places of the same class. The class itself is not asked (the softmax is over one class's
 * places).
 *
 * <p>Shapes: B images, P patches (a square grid), D joint embedding width, C classes, Q places.
 */
public final class PlaceLoss {

    /**
     * A mask has a place when its centre is more than this fraction of the image's side off the
     * middle.
     */
    public static final double CLEAR_OFFSET = 0.15;

    private final float lambda;

    /**
     * @param lambda λ_s ≥ 0 (0: off)
     */
    public PlaceLoss(float lambda) {
        if (!(lambda >= 0) || Float.isInfinite(lambda)) {
            throw new IllegalArgumentException("place lambda must be >= 0, got " + lambda);
        }
        this.lambda = lambda;
    }

    public float lambda() {
        return lambda;
    }

    /**
     * The place of a mask from its patch coverage.
     *
     * @param coverage a_p of a square grid of patches, row-major, (P)
     * @return the {@link PlacePhrases.Place} ordinal, or −1 when the mask is empty or its centre is
     *     not clearly off the middle
     */
    public static int place(float[] coverage) {
        int g = (int) Math.round(Math.sqrt(coverage.length));
        if (g * g != coverage.length || g == 0) {
            throw new IllegalArgumentException(
                    "coverage of " + coverage.length + " patches is not a square grid");
        }
        double sum = 0;
        double x = 0;
        double y = 0;
        for (int j = 0; j < coverage.length; j++) {
            double a = coverage[j];
            sum += a;
            x += a * ((j % g) + 0.5) / g;
            y += a * ((j / g) + 0.5) / g;
        }
        if (!(sum > 0)) {
            return -1;
        }
        double dx = x / sum - 0.5;
        double dy = y / sum - 0.5;
        if (Math.max(Math.abs(dx), Math.abs(dy)) <= CLEAR_OFFSET) {
            return -1;
        }
        PlacePhrases.Place p =
                Math.abs(dx) >= Math.abs(dy)
                        ? (dx < 0 ? PlacePhrases.Place.LEFT : PlacePhrases.Place.RIGHT)
                        : (dy < 0 ? PlacePhrases.Place.TOP : PlacePhrases.Place.BOTTOM);
        return p.ordinal();
    }

    /**
     * The patches the term asks about: those a placed instance owns.
     *
     * @param images B
     * @param imageIndex b(i) of each instance, (N)
     * @param coverage a_ip, (N, P)
     * @param labels y_i, (N)
     * @return the kept patches, each labelled with its phrase row y·Q + q, (M)
     */
    public static PatchPresenceLoss.OwnedPatches placed(
            int images, int[] imageIndex, float[][] coverage, int[] labels) {
        if (labels.length != coverage.length) {
            throw new IllegalArgumentException(
                    "need one label per coverage row, got "
                            + labels.length
                            + " and "
                            + coverage.length);
        }
        int[] rows = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int q = place(coverage[i]);
            rows[i] = q < 0 ? -1 : labels[i] * PlacePhrases.PER_CLASS + q;
        }
        PatchPresenceLoss.OwnedPatches owned =
                PatchPresenceLoss.owned(images, imageIndex, coverage, rows);
        int m = (int) Arrays.stream(owned.labels()).filter(r -> r >= 0).count();
        long[] keptRows = new long[m];
        int[] keptLabels = new int[m];
        int k = 0;
        for (int j = 0; j < owned.size(); j++) {
            if (owned.labels()[j] >= 0) {
                keptRows[k] = owned.rows()[j];
                keptLabels[k++] = owned.labels()[j];
            }
        }
        return new PatchPresenceLoss.OwnedPatches(keptRows, keptLabels);
    }

    /**
     * L_place.
     *
     * @param patches S, (B, P, D), unnormalised
     * @param phrases place-phrase embeddings, (C·Q, D), normalised, class-major ({@link
     *     PlacePhrases#of})
     * @param placed the batch's kept patches ({@link #placed})
     * @param logitScale the model's {@code logit_scale}, log-parameterised, scalar
     * @return a scalar: 0 (and no graph) when λ_s = 0 or no patch is kept
     */
    public NDArray compute(
            NDArray patches,
            NDArray phrases,
            PatchPresenceLoss.OwnedPatches placed,
            NDArray logitScale) {
        if (lambda == 0f || placed.size() == 0) {
            return HostData.scalar(patches.getManager(), 0, patches.getDataType()); // ()
        }
        int q = PlacePhrases.PER_CLASS;
        long rows = phrases.getShape().get(0);
        if (rows % q != 0) {
            throw new IllegalArgumentException(rows + " place phrases are not " + q + " per class");
        }
        int classes = (int) (rows / q);
        long b = patches.getShape().get(0);
        long p = patches.getShape().get(1);
        long d = patches.getShape().get(2);
        int m = placed.size();
        int[] cls = new int[m];
        int[] where = new int[m];
        for (int j = 0; j < m; j++) {
            int row = placed.labels()[j];
            if (row < 0 || row >= rows) {
                throw new IllegalArgumentException(
                        "phrase row " + row + " is outside the " + rows + " place phrases");
            }
            cls[j] = row / q;
            where[j] = row % q;
        }
        NDArray index = HostData.longs(patches.getManager(), placed.rows()); // (M)
        NDArray s = Vectors.normalized(patches.reshape(b * p, d).get(index)); // (M, D)
        NDArray z =
                InstanceContrastiveLoss.logits(s, phrases, logitScale)
                        .reshape(new Shape(m, classes, q)); // (M, C, Q)
        NDArray own =
                LossSupport.oneHot(cls, classes, z).reshape(new Shape(m, classes, 1)); // (M, C, 1)
        NDArray zq = z.mul(own).sum(new int[] {1}); // (M, Q) the owner class's places
        NDArray y = LossSupport.oneHot(where, q, z); // (M, Q)
        NDArray nll = zq.logSoftmax(1).mul(y).sum(); // () Σ_p log p(q(owner))
        return HostData.over(HostData.times(nll, -lambda), m); // ()
    }
}
