package eagle.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import eagle.core.eval.Vectors;
import eagle.core.model.HostData;

/**
 * The image presence term (ours, not the paper's, an option; docs/METHOD.md §3): L_ce's yes/no
 * decisions asked of whole images, each read from a soft maximum over the image's patches.
 *
 * <pre>
 *   Ŝ_bp   = S_bp / ‖S_bp‖                                        (B, P, D)
 *   m_bc   = (1/κ) · log Σ_p exp(κ · Ŝ_bp · t_c)                 (B, C), a soft max_p, κ = 10
 *   x_bc   = m_bc · exp(a) + b′                                   (B, C), L_ce's own a and b′
 *   y_bc   = 1 iff image b has an instance of class c             (B, C)
 *   L_img  = λ_i · (1/(B·C)) Σ_bc [ softplus(x_bc) − y_bc · x_bc ]
 * </pre>
 *
 * A presence question reads the best-matching patch of the whole image (docs/METHOD.md §6); this
 * term trains that statistic for every class, present or not. The soft maximum spreads the gradient
 * over the patches in proportion to how well they match (e^{κ·cos}), where a hard maximum would
 * move one patch per class; the soft one was measured to raise Seq well above the hard one
 * (docs/BENCHMARKS.md).
 *
 * <p>It reads "no instance of c in the image" as "c is absent", so it assumes every instance of
 * every known class in an image is annotated (as COCO's categories are); on a stream that annotates
 * only some objects of an image, leave it off.
 *
 * <p>Shapes: B images, P patches, D joint embedding width, C classes.
 */
public final class ImagePresenceLoss {

    /**
     * κ of the soft maximum: 10 over cosines spans e^{20} between a perfect and an opposite match.
     */
    public static final float TEMPERATURE = 10f;

    private final float lambda;

    /**
     * @param lambda λ_i ≥ 0 (0: off)
     */
    public ImagePresenceLoss(float lambda) {
        if (!(lambda >= 0) || Float.isInfinite(lambda)) {
            throw new IllegalArgumentException("image presence lambda must be >= 0, got " + lambda);
        }
        this.lambda = lambda;
    }

    public float lambda() {
        return lambda;
    }

    /**
     * y: which classes each image has an instance of.
     *
     * @param images B
     * @param classes C
     * @param imageIndex b(i) of each instance, (N)
     * @param labels y_i of each instance, (N)
     * @return y_bc at b·C + c, (B·C)
     */
    public static float[] presence(int images, int classes, int[] imageIndex, int[] labels) {
        if (imageIndex.length != labels.length) {
            throw new IllegalArgumentException(
                    "need one image index per label, got "
                            + imageIndex.length
                            + " and "
                            + labels.length);
        }
        LossSupport.checkLabels(labels, classes);
        float[] y = new float[images * classes];
        for (int i = 0; i < labels.length; i++) {
            if (imageIndex[i] < 0 || imageIndex[i] >= images) {
                throw new IllegalArgumentException(
                        "instance " + i + " is in image " + imageIndex[i] + " of " + images);
            }
            y[imageIndex[i] * classes + labels[i]] = 1f;
        }
        return y;
    }

    /**
     * L_img.
     *
     * @param patches S, (B, P, D), unnormalised
     * @param t class embeddings, (C, D), normalised
     * @param imageIndex b(i) of each instance, (N)
     * @param labels y_i of each instance, (N)
     * @param scale log of L_ce's s′, scalar
     * @param bias L_ce's b′, scalar
     * @return a scalar: 0 (and no graph) when λ_i = 0
     */
    public NDArray compute(
            NDArray patches,
            NDArray t,
            int[] imageIndex,
            int[] labels,
            NDArray scale,
            NDArray bias) {
        int b = (int) patches.getShape().get(0);
        int c = (int) t.getShape().get(0);
        return compute(patches, t, presence(b, c, imageIndex, labels), scale, bias);
    }

    /**
     * λ_i · mean_bc BCE(x_bc, y_bc) with the targets given: the same term over any prompts (the
     * count presence term asks it of counted phrases, docs/METHOD.md §3).
     *
     * @param patches S, (B, P, D), unnormalised
     * @param t prompt embeddings, (C, D), normalised
     * @param targets y_bc at b·C + c, 0 or 1, (B·C)
     * @param scale log of L_ce's s′, scalar
     * @param bias L_ce's b′, scalar
     * @return a scalar: 0 (and no graph) when λ_i = 0
     */
    public NDArray compute(
            NDArray patches, NDArray t, float[] targets, NDArray scale, NDArray bias) {
        NDManager manager = patches.getManager();
        if (lambda == 0f) {
            return HostData.scalar(manager, 0, patches.getDataType()); // ()
        }
        LossSupport.checkScalar(scale, "sigmoid logit scale");
        LossSupport.checkScalar(bias, "sigmoid bias");
        int b = (int) patches.getShape().get(0);
        int c = (int) t.getShape().get(0);
        if (targets.length != b * c) {
            throw new IllegalArgumentException(
                    "need " + b + "×" + c + " targets, got " + targets.length);
        }
        NDArray cos = Vectors.normalized(patches).matMul(t.transpose()); // (B, P, C)
        NDArray kappaCos = cos.mul(TEMPERATURE); // (B, P, C)
        NDArray peak = kappaCos.max(new int[] {1}, true).stopGradient(); // (B, 1, C)
        NDArray softMax =
                kappaCos.sub(peak)
                        .exp()
                        .sum(new int[] {1})
                        .log()
                        .add(peak.squeeze(1))
                        .div(TEMPERATURE); // (B, C), log-sum-exp shifted by its maximum
        NDArray x = softMax.mul(scale.exp().reshape()).add(bias.reshape()); // (B, C)
        NDArray y = HostData.floats(manager, targets, new Shape(b, c), x.getDataType()); // (B, C)
        NDArray terms = LossSupport.softplus(x).sub(y.mul(x)); // (B, C)
        return HostData.times(terms.mean(), lambda); // ()
    }
}
