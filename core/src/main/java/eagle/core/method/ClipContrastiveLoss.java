package eagle.core.method;

import ai.djl.ndarray.NDArray;
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
        NDArray g = Vectors.normalized(images); // (B, D)
        NDArray c = Vectors.normalized(captions); // (B, D)
        NDArray scale = HostData.atMost(logitScale.exp(), InstanceContrastiveLoss.MAX_LOGIT_SCALE);
        NDArray z = g.matMul(c.transpose()).mul(scale); // (B, B)
        long b = z.getShape().get(0);
        NDArray eye = z.getManager().eye((int) b).toType(z.getDataType(), false); // (B, B)
        NDArray rows = HostData.over(z.logSoftmax(1).mul(eye).sum().neg(), b);
        NDArray cols = HostData.over(z.logSoftmax(0).mul(eye).sum().neg(), b);
        return HostData.over(rows.add(cols), 2);
    }
}
