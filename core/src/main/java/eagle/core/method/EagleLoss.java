package eagle.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The EAGLE objective (docs/METHOD.md §3): {@code L = L_ins + L_ce + L_ret}.
 *
 * <ul>
 *   <li>L_ins: {@link InstanceContrastiveLoss} with the model's {@code logit_scale};
 *   <li>L_ce: {@link SigmoidDistanceLoss} with its own parameters {@value #SIGMOID_LOGIT_SCALE}
 *       (log-parameterised, init ln 10) and {@value #SIGMOID_BIAS} (init −10);
 *   <li>L_ret: {@link RetentionLoss}, λ · mean ‖ĝ − ĝ₀‖², 0 when λ = 0 (then g and g₀ may be null).
 * </ul>
 *
 * <p>Shapes: N instances, C classes, B images, D joint embedding width.
 */
public final class EagleLoss {

    /** Name of the sigmoid loss's log scale, a scalar; s' = exp(value). */
    public static final String SIGMOID_LOGIT_SCALE = "loss.sigmoid_logit_scale";

    /** Name of the sigmoid loss's bias b', a scalar. */
    public static final String SIGMOID_BIAS = "loss.sigmoid_bias";

    /** SigLIP's initial scale 10, stored as its log. */
    public static final float SIGMOID_LOGIT_SCALE_INIT = (float) Math.log(10.0);

    /** SigLIP's initial bias. */
    public static final float SIGMOID_BIAS_INIT = -10f;

    /**
     * The terms of one evaluation of the objective, each a scalar; total = ins + ce + retention.
     */
    public record LossParts(NDArray ins, NDArray ce, NDArray retention, NDArray total) {

        /** These parts with a further term (a scalar) added to the total. */
        public LossParts plus(NDArray term) {
            return new LossParts(
                    ins, ce, retention, total.add(term.toType(total.getDataType(), false)));
        }
    }

    private final InstanceContrastiveLoss instanceLoss;
    private final SigmoidDistanceLoss sigmoidLoss;
    private final RetentionLoss retentionLoss;

    /**
     * The paper's averaging ({@link LossWeighting#INSTANCE}).
     *
     * @param retentionLambda λ of the retention term (0 = off, the default)
     */
    public EagleLoss(float retentionLambda) {
        this(retentionLambda, LossWeighting.INSTANCE);
    }

    /**
     * @param retentionLambda λ of the retention term (0 = off, the default)
     * @param weighting how L_ins's i2t and L_ce average over instances
     */
    public EagleLoss(float retentionLambda, LossWeighting weighting) {
        this.instanceLoss = new InstanceContrastiveLoss(weighting);
        this.sigmoidLoss = new SigmoidDistanceLoss(weighting);
        this.retentionLoss = new RetentionLoss(retentionLambda);
    }

    public float retentionLambda() {
        return retentionLoss.lambda();
    }

    /**
     * The learnable loss parameters, float32 scalars, in a fixed order: {@value
     * #SIGMOID_LOGIT_SCALE} = ln 10 and {@value #SIGMOID_BIAS} = −10. The caller attaches gradients
     * as it does for the model's parameters.
     */
    public static LinkedHashMap<String, NDArray> createLossParameters(NDManager manager) {
        LinkedHashMap<String, NDArray> parameters = new LinkedHashMap<>();
        NDArray scale = manager.create(SIGMOID_LOGIT_SCALE_INIT); // ()
        scale.setName(SIGMOID_LOGIT_SCALE);
        NDArray bias = manager.create(SIGMOID_BIAS_INIT); // ()
        bias.setName(SIGMOID_BIAS);
        parameters.put(SIGMOID_LOGIT_SCALE, scale);
        parameters.put(SIGMOID_BIAS, bias);
        return parameters;
    }

    /**
     * The objective with the loss parameters looked up by name.
     *
     * @throws IllegalArgumentException when a loss parameter is missing
     */
    public LossParts compute(
            NDArray v,
            NDArray t,
            int[] labels,
            NDArray logitScale,
            Map<String, NDArray> lossParameters,
            NDArray g,
            NDArray g0) {
        NDArray scale = lossParameters.get(SIGMOID_LOGIT_SCALE);
        NDArray bias = lossParameters.get(SIGMOID_BIAS);
        if (scale == null || bias == null) {
            throw new IllegalArgumentException(
                    "loss parameters need "
                            + SIGMOID_LOGIT_SCALE
                            + " and "
                            + SIGMOID_BIAS
                            + ", got "
                            + lossParameters.keySet());
        }
        return compute(v, t, labels, logitScale, scale, bias, g, g0);
    }

    /**
     * The objective.
     *
     * @param v pooled instance embeddings, (N, D), normalised
     * @param t class text embeddings, (C, D), normalised
     * @param labels y_i, (N)
     * @param logitScale the model's {@code logit_scale} (log s), scalar
     * @param sigmoidScale log s' of the sigmoid loss, scalar
     * @param sigmoidBias b' of the sigmoid loss, scalar
     * @param g CLS features being trained, (B, D); may be null when λ = 0
     * @param g0 frozen base CLS features, (B, D); may be null when λ = 0
     */
    public LossParts compute(
            NDArray v,
            NDArray t,
            int[] labels,
            NDArray logitScale,
            NDArray sigmoidScale,
            NDArray sigmoidBias,
            NDArray g,
            NDArray g0) {
        NDArray ins = instanceLoss.compute(v, t, labels, logitScale);
        NDArray ce = sigmoidLoss.compute(v, t, labels, sigmoidScale, sigmoidBias);
        NDArray retention;
        if (retentionLoss.lambda() == 0f) {
            retention = v.getManager().zeros(ins.getShape(), ins.getDataType());
        } else {
            if (g == null || g0 == null) {
                throw new IllegalArgumentException(
                        "retention lambda is "
                                + retentionLoss.lambda()
                                + " but the CLS features g and g0 were not given");
            }
            retention = retentionLoss.compute(g, g0).toType(ins.getDataType(), false);
        }
        return new LossParts(ins, ce, retention, ins.add(ce).add(retention));
    }
}
