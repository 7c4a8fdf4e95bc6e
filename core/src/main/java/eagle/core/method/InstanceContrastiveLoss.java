package eagle.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import eagle.core.model.HostData;

/**
 * The instance loss L_ins of EAGLE (arXiv 2501.02699; docs/METHOD.md §3): a CLIP-style symmetric
 * contrastive loss between pooled instance embeddings and class text embeddings in which several
 * instances of one class are all positives of that class and never each other's negatives.
 *
 * <pre>
 *   s      = min(exp(logitScale), 100)                    (CLIP's clamp)
 *   z_ic   = s · v_i · t_c                                 (N, C)
 *   i2t    = (1/N) Σ_i −log softmax_c(z_i·)[y_i]          (INSTANCE weighting, the paper's)
 *          = Σ_i w_i · −log softmax_c(z_i·)[y_i]        (CLASS: w_i = 1/(n_{y_i}·|C_B|))
 *   ℓ_ic   = −log( e^{z_ic} / (e^{z_ic} + Σ_{j: y_j ≠ c} e^{z_jc}) )     for y_i = c
 *          = softplus( LSE_{j: y_j ≠ c} z_jc − z_ic )      (0 when every instance has class c)
 *   t2i    = (1/|C_B|) Σ_{c ∈ C_B} (1/n_c) Σ_{i: y_i = c} ℓ_ic             C_B: classes present, n_c their counts
 *   L_ins  = (i2t + t2i) / 2
 * </pre>
 *
 * The negatives' log-sum-exp is taken per class column with its (detached) maximum subtracted, so
 * nothing overflows for any logits; the losses are built from NDArray operations and differentiate
 * under a {@code GradientCollector} with respect to v, t and logitScale.
 *
 * <p>Shapes: N instances, C classes, D joint embedding width. v and t are expected L2-normalised.
 */
public final class InstanceContrastiveLoss {

    /** Upper clamp of the logit scale s, as CLIP. */
    public static final double MAX_LOGIT_SCALE = 100.0;

    /**
     * How far below the smallest logit the masked-out entries are put before the column maximum.
     */
    private static final double MASK_MARGIN = 1000.0;

    private final LossWeighting weighting;

    /** L_ins as the paper writes it ({@link LossWeighting#INSTANCE}). */
    public InstanceContrastiveLoss() {
        this(LossWeighting.INSTANCE);
    }

    /**
     * @param weighting how i2t averages over instances (t2i is class-balanced either way)
     */
    public InstanceContrastiveLoss(LossWeighting weighting) {
        this.weighting = weighting;
    }

    /**
     * L_ins.
     *
     * @param v instance embeddings, (N, D)
     * @param t class embeddings, (C, D)
     * @param labels y_i in [0, C), (N)
     * @param logitScale the model's {@code logit_scale}, log-parameterised: s = min(exp(·), 100),
     *     scalar
     * @return scalar loss
     */
    public NDArray compute(NDArray v, NDArray t, int[] labels, NDArray logitScale) {
        LossSupport.checkInputs(v, t, labels);
        NDArray z = logits(v, t, logitScale); // (N, C)
        return HostData.over(imageToText(z, labels).add(textToInstance(z, labels)), 2);
    }

    /** z = v tᵀ · min(exp(logitScale), 100), (N, C). */
    public static NDArray logits(NDArray v, NDArray t, NDArray logitScale) {
        LossSupport.checkScalar(logitScale, "logit_scale");
        NDArray s = HostData.atMost(logitScale.exp(), MAX_LOGIT_SCALE).reshape(new Shape()); // ()
        return v.matMul(t.transpose()).mul(s); // (N, D) x (D, C) -> (N, C)
    }

    /**
     * Image-to-text: the cross-entropy of softmax over classes, averaged over instances as the
     * weighting says, scalar.
     */
    public NDArray imageToText(NDArray z, int[] labels) {
        int n = checkLogits(z, labels);
        NDArray y = LossSupport.oneHot(labels, (int) z.getShape().get(1), z); // (N, C)
        NDArray perInstance = z.logSoftmax(1).mul(y).sum(new int[] {1}); // (N) log p_i(y_i)
        if (weighting == LossWeighting.CLASS) {
            return perInstance.mul(LossSupport.classBalancedWeights(labels, z)).sum().neg();
        }
        return HostData.over(perInstance.sum(), -n);
    }

    /**
     * Text-to-instance: ℓ_ic averaged over the positives of each class present, then over classes.
     */
    public NDArray textToInstance(NDArray z, int[] labels) {
        checkLogits(z, labels);
        NDArray perPositive = textToInstanceTerms(z, labels).sum(new int[] {1}); // (N) ℓ_{i,y_i}
        return perPositive.mul(LossSupport.classBalancedWeights(labels, z)).sum();
    }

    /**
     * The per-positive text-to-instance terms ℓ_ic where y_i = c, and 0 elsewhere, (N, C). Other
     * instances of class c are left out of ℓ_ic's denominator.
     */
    public NDArray textToInstanceTerms(NDArray z, int[] labels) {
        int n = checkLogits(z, labels);
        int c = (int) z.getShape().get(1);
        NDArray y = LossSupport.oneHot(labels, c, z); // (N, C) positives
        NDArray negative = y.neg().add(1); // (N, C) y_j ≠ c
        int[] perClass = new int[c];
        for (int label : labels) {
            perClass[label]++;
        }
        float[] noNegatives = new float[c]; // (C): 1 where every instance has class c
        for (int k = 0; k < c; k++) {
            noNegatives[k] = perClass[k] == n ? 1f : 0f;
        }
        NDArray fill = z.stopGradient().min().sub(MASK_MARGIN); // () below every logit
        NDArray zNeg = z.mul(negative).add(y.mul(fill)); // (N, C) positives pushed far down
        NDArray columnMax = zNeg.max(new int[] {0}, true).stopGradient(); // (1, C)
        NDArray sum =
                zNeg.sub(columnMax)
                        .exp()
                        .mul(negative)
                        .sum(new int[] {0}, true) // (1, C)
                        .add(
                                HostData.floats(
                                        z.getManager(),
                                        noNegatives,
                                        new Shape(1, c),
                                        z.getDataType()));
        NDArray negativeLse =
                columnMax.add(sum.log()); // (1, C); = fill where there are no negatives
        return LossSupport.softplus(negativeLse.sub(z)).mul(y); // (N, C)
    }

    private static int checkLogits(NDArray z, int[] labels) {
        Shape zs = z.getShape();
        if (zs.dimension() != 2) {
            throw new IllegalArgumentException("logits must be (N, C), got " + zs);
        }
        if (labels == null || labels.length != zs.get(0) || labels.length == 0) {
            throw new IllegalArgumentException(
                    "need one label per instance: logits "
                            + zs
                            + ", labels "
                            + (labels == null ? "null" : labels.length));
        }
        LossSupport.checkLabels(labels, zs.get(1));
        return labels.length;
    }
}
