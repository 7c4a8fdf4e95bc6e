package eagle.core.method;

import ai.djl.ndarray.NDArray;
import eagle.core.eval.Vectors;
import eagle.core.model.HostData;

/**
 * Keeps a caption and its hard negative apart in the text embedding (pre-training only,
 * docs/METHOD.md §1): a hinge on their cosine.
 *
 * <pre>
 *   L_sep = (1/N) Σ_k max(0, cos(c_o(k), ñ_k) − m)      o(k): the caption negative k was made from
 * </pre>
 *
 * Hard negatives alone ({@link ClipContrastiveLoss}) start at a saddle when the text tower ignores
 * the swapped word: the caption and its negative embed alike (cosine 0.999 for "on the left" and
 * "on the right" on the fifth embedded base), so the image tower's gradient along their difference
 * is about zero, and while the image tower cannot tell the two apart the text tower is pushed the
 * same way for both. The hinge moves the text side alone, which gives the image side a direction to
 * learn. Measured in docs/BENCHMARKS.md.
 */
public final class CaptionSeparation {

    private CaptionSeparation() {}

    /**
     * @param captions caption features, (B, D), unnormalised
     * @param negatives hard-negative features, (N, D), unnormalised
     * @param owners o(k): the caption row each negative was made from, (N)
     * @param margin m; a pair closer than cosine m costs nothing
     * @return scalar loss
     */
    public static NDArray compute(
            NDArray captions, NDArray negatives, long[] owners, double margin) {
        if (owners.length != negatives.getShape().get(0)) {
            throw new IllegalArgumentException(
                    owners.length + " owners for " + negatives.getShape().get(0) + " negatives");
        }
        NDArray c =
                Vectors.normalized(
                        captions.get(HostData.longs(captions.getManager(), owners))); // (N, D)
        NDArray n = Vectors.normalized(negatives); // (N, D)
        NDArray cos = c.mul(n).sum(new int[] {1}); // (N)
        NDArray hinge =
                HostData.atLeast(
                        cos.sub(HostData.scalar(cos.getManager(), margin, cos.getDataType())),
                        0); // (N)
        return HostData.over(hinge.sum(), owners.length); // ()
    }
}
