package eagle.core.method;

import ai.djl.ndarray.NDArray;

/**
 * The "cross-entropy over distances" loss L_ce of EAGLE (docs/METHOD.md §3), SigLIP-style: an
 * independent binary decision for every (instance, class) pair.
 *
 * <pre>
 *   x_ic  = (v_i · t_c) · exp(scale) + bias                          (N, C)
 *   L_ce  = (1/(N·C)) Σ_ic [ softplus(x_ic) − [y_i = c] · x_ic ]      (= BCE with logits)
 *   CLASS weighting: (1/C) Σ_i w_i Σ_c [ … ]  with w_i = 1/(n_{y_i}·|C_B|)  (Σ_i w_i = 1)
 * </pre>
 *
 * The similarity is the cosine v_i · t_c (v, t L2-normalised), not the contrastive logits z of
 * {@link InstanceContrastiveLoss}; its own learnable scale s' = exp(scale) (init ln 10, so s' = 10)
 * and bias b' (init −10) are SigLIP's initial values, named {@code loss.sigmoid_logit_scale} and
 * {@code loss.sigmoid_bias} ({@link EagleLoss#createLossParameters}). softplus is computed in its
 * overflow-free form.
 *
 * <p>Shapes: N instances, C classes, D joint embedding width.
 */
public final class SigmoidDistanceLoss {

    private final LossWeighting weighting;

    /** L_ce as the paper writes it ({@link LossWeighting#INSTANCE}). */
    public SigmoidDistanceLoss() {
        this(LossWeighting.INSTANCE);
    }

    /**
     * @param weighting how the rows (instances) are averaged
     */
    public SigmoidDistanceLoss(LossWeighting weighting) {
        this.weighting = weighting;
    }

    /**
     * L_ce.
     *
     * @param v instance embeddings, (N, D)
     * @param t class embeddings, (C, D)
     * @param labels y_i in [0, C), (N)
     * @param scale log of s', scalar
     * @param bias b', scalar
     * @return scalar loss
     */
    public NDArray compute(NDArray v, NDArray t, int[] labels, NDArray scale, NDArray bias) {
        LossSupport.checkInputs(v, t, labels);
        LossSupport.checkScalar(scale, "sigmoid logit scale");
        LossSupport.checkScalar(bias, "sigmoid bias");
        int classes = (int) t.getShape().get(0);
        NDArray x =
                v.matMul(t.transpose()) // (N, D) x (D, C) -> (N, C)
                        .mul(scale.exp().reshape())
                        .add(bias.reshape()); // (N, C)
        NDArray y = LossSupport.oneHot(labels, classes, x); // (N, C)
        NDArray terms = LossSupport.softplus(x).sub(y.mul(x)); // (N, C)
        if (weighting == LossWeighting.CLASS) {
            NDArray w = LossSupport.classBalancedWeights(labels, x); // (N)
            return terms.mean(new int[] {1}).mul(w).sum();
        }
        return terms.mean();
    }
}
