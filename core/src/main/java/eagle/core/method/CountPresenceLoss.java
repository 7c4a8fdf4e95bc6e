package eagle.core.method;

import ai.djl.ndarray.NDArray;

/**
 * The count presence term (ours, not the paper's, an option; docs/METHOD.md §3): the image presence
 * term asked of counted phrases, so that the annotations' instance counts become targets.
 *
 * <pre>
 *   u_(c,n) = normalise(T("n c"))                                 (C·M, D), n = 1 … M
 *   y_b(c,n) = 1 iff image b has exactly n instances of class c   (B, C·M)
 *   L_count = λ_n · L_img(S, u, y)                                 L_img's soft maximum and L_ce's s′, b′
 * </pre>
 *
 * Instance masks say how many objects of a class an image holds, but every other target of the
 * method is a class prompt with no number in it, so three triangles are pulled towards "a triangle"
 * as hard as one is. This term asks, of each image's best-matching patches, which count phrase is
 * true: "two red triangles" yes, "a red triangle" and "three red triangles" no. An image with more
 * than M instances of a class has no true phrase for it. Like L_img it assumes every instance of
 * every class in an image is annotated.
 *
 * <p>Shapes: B images, P patches, D joint embedding width, C classes, M counts per class.
 */
public final class CountPresenceLoss {

    private final ImagePresenceLoss presence;

    /**
     * @param lambda λ_n ≥ 0 (0: off)
     */
    public CountPresenceLoss(float lambda) {
        if (!(lambda >= 0) || Float.isInfinite(lambda)) {
            throw new IllegalArgumentException("count presence lambda must be >= 0, got " + lambda);
        }
        this.presence = new ImagePresenceLoss(lambda);
    }

    public float lambda() {
        return presence.lambda();
    }

    /**
     * y: which counted phrase of each class is true of each image.
     *
     * @param images B
     * @param classes C
     * @param maxCount M, the phrases per class
     * @param imageIndex b(i) of each instance, (N)
     * @param labels y_i of each instance, (N)
     * @return y at b·C·M + c·M + (n − 1), (B·C·M)
     */
    public static float[] targets(
            int images, int classes, int maxCount, int[] imageIndex, int[] labels) {
        if (maxCount < 1) {
            throw new IllegalArgumentException(
                    "need at least one count per class, got " + maxCount);
        }
        float[] present = ImagePresenceLoss.presence(images, classes, imageIndex, labels); // checks
        int[] counts = new int[present.length];
        for (int i = 0; i < labels.length; i++) {
            counts[imageIndex[i] * classes + labels[i]]++;
        }
        float[] y = new float[images * classes * maxCount];
        for (int bc = 0; bc < counts.length; bc++) {
            if (counts[bc] >= 1 && counts[bc] <= maxCount) {
                y[bc * maxCount + counts[bc] - 1] = 1f;
            }
        }
        return y;
    }

    /**
     * L_count.
     *
     * @param patches S, (B, P, D), unnormalised
     * @param phrases counted-phrase embeddings, (C·M, D), normalised, class-major
     * @param classes C
     * @param imageIndex b(i) of each instance, (N)
     * @param labels y_i of each instance, (N)
     * @param scale log of L_ce's s′, scalar
     * @param bias L_ce's b′, scalar
     * @return a scalar: 0 (and no graph) when λ_n = 0
     */
    public NDArray compute(
            NDArray patches,
            NDArray phrases,
            int classes,
            int[] imageIndex,
            int[] labels,
            NDArray scale,
            NDArray bias) {
        long rows = phrases.getShape().get(0);
        if (classes < 1 || rows % classes != 0) {
            throw new IllegalArgumentException(
                    rows + " counted phrases are not M per class for " + classes + " classes");
        }
        int b = (int) patches.getShape().get(0);
        return presence.compute(
                patches,
                phrases,
                targets(b, classes, (int) (rows / classes), imageIndex, labels),
                scale,
                bias);
    }
}
