package eagle.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import eagle.core.eval.Vectors;
import eagle.core.model.HostData;

/**
 * CLIP's pre-training objective (Radford et al. 2021, §2.3): symmetric cross-entropy over the
 * image-caption similarity matrix of a batch, the i-th caption being the i-th image's positive.
 *
 * <pre>
 *   ĝ = g/‖g‖, ĉ = c/‖c‖                 (B, D)
 *   Z = exp(logit_scale) · ĝ ĉᵀ           (B, B), scale clamped to 100
 *   L = ½ (CE_rows(Z, diag) + CE_cols(Z, diag))
 * </pre>
 *
 * <p>With hard negatives (NegCLIP, Yuksekgonul et al., ICLR 2023): N further captions ñ, each true
 * of no image of the batch, join every image's row and none of the text columns.
 *
 * <pre>
 *   Z⁺ = exp(logit_scale) · ĝ [ĉ; ñ]ᵀ      (B, B + N)
 *   L  = ½ (CE_rows(Z⁺, diag) + CE_cols(Z⁺[:, :B], diag))
 * </pre>
 */
public final class ClipContrastiveLoss {

    private ClipContrastiveLoss() {}

    /**
     * @param images image CLS features, (B, D), unnormalised
     * @param captions caption features, (B, D), unnormalised
     * @param logitScale the model's {@code logit_scale}, scalar
     * @return scalar loss
     */
    public static NDArray compute(NDArray images, NDArray captions, NDArray logitScale) {
        return compute(images, captions, null, logitScale);
    }

    /**
     * @param images image CLS features, (B, D), unnormalised
     * @param captions caption features, (B, D), unnormalised
     * @param negatives hard-negative caption features, (N, D), unnormalised; null or N = 0 for none
     *     (then the plain loss)
     * @param logitScale the model's {@code logit_scale}, scalar
     * @return scalar loss
     */
    public static NDArray compute(
            NDArray images, NDArray captions, NDArray negatives, NDArray logitScale) {
        NDArray g = Vectors.normalized(images); // (B, D)
        NDArray c = Vectors.normalized(captions); // (B, D)
        NDArray scale = HostData.atMost(logitScale.exp(), InstanceContrastiveLoss.MAX_LOGIT_SCALE);
        NDArray z = g.matMul(c.transpose()).mul(scale); // (B, B)
        long b = z.getShape().get(0);
        NDArray eye = z.getManager().eye((int) b).toType(z.getDataType(), false); // (B, B)
        NDArray rowLogits = z;
        NDArray rowTargets = eye;
        if (negatives != null && negatives.getShape().get(0) > 0) {
            NDArray n = Vectors.normalized(negatives); // (N, D)
            rowLogits = z.concat(g.matMul(n.transpose()).mul(scale), 1); // (B, B + N)
            rowTargets =
                    eye.concat(
                            z.getManager()
                                    .zeros(new Shape(b, n.getShape().get(0)), z.getDataType()),
                            1); // (B, B + N)
        }
        NDArray rows = HostData.over(rowLogits.logSoftmax(1).mul(rowTargets).sum().neg(), b);
        NDArray cols = HostData.over(z.logSoftmax(0).mul(eye).sum().neg(), b);
        return HostData.over(rows.add(cols), 2);
    }
}
