package eagle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.Map;

/**
 * One pre-LN transformer block of OpenAI CLIP ({@code clip/model.py ResidualAttentionBlock}):
 *
 * <pre>
 * x = x + attn(ln_1(x))
 * x = x + mlp(ln_2(x)),   mlp(h) = c_proj(act(c_fc(h)))
 * </pre>
 *
 * where {@code attn} is multi-head self-attention with the packed projection {@code
 * in_proj_weight}: {@code [q k v] = h · in_proj_weightᵀ + in_proj_bias} split into H heads of width
 * {@code W/H}, {@code softmax(q kᵀ / √(W/H) + mask) v} per head, heads concatenated, then {@code
 * out_proj}.
 *
 * <p>Shapes: input and output (B, T, W); parameters (names relative to the block's prefix) {@code
 * attn.in_proj_weight} (3W, W), {@code attn.in_proj_bias} (3W), {@code attn.out_proj.weight} (W,
 * W), {@code attn.out_proj.bias} (W), {@code ln_1.*} (W), {@code mlp.c_fc.weight} (4W, W), {@code
 * mlp.c_fc.bias} (4W), {@code mlp.c_proj.weight} (W, 4W), {@code mlp.c_proj.bias} (W), {@code
 * ln_2.*} (W). The optional additive mask is (T, T): 0 where attention is allowed, −∞ where not
 * (the text tower's causal mask).
 *
 * <p>The block holds no state of its own: it reads the model's parameter arrays by name, so it
 * follows every in-place update of them. Every operation is differentiable under DJL's {@code
 * GradientCollector}.
 */
public final class ResidualAttentionBlock {

    private final int heads;
    private final ClipConfig.Activation activation;
    private final float layerNormEps;
    private final NDArray ln1Weight;
    private final NDArray ln1Bias;
    private final NDArray inProjWeight;
    private final NDArray inProjBias;
    private final NDArray outProjWeight;
    private final NDArray outProjBias;
    private final NDArray ln2Weight;
    private final NDArray ln2Bias;
    private final NDArray fcWeight;
    private final NDArray fcBias;
    private final NDArray projWeight;
    private final NDArray projBias;

    /**
     * @param parameters the model's parameters by full name
     * @param prefix the block's name prefix, e.g. {@code visual.transformer.resblocks.0.}
     */
    ResidualAttentionBlock(
            Map<String, NDArray> parameters,
            String prefix,
            int heads,
            ClipConfig.Activation activation,
            double layerNormEps) {
        this.heads = heads;
        this.activation = activation;
        this.layerNormEps = (float) layerNormEps;
        this.ln1Weight = parameters.get(prefix + "ln_1.weight");
        this.ln1Bias = parameters.get(prefix + "ln_1.bias");
        this.inProjWeight = parameters.get(prefix + "attn.in_proj_weight");
        this.inProjBias = parameters.get(prefix + "attn.in_proj_bias");
        this.outProjWeight = parameters.get(prefix + "attn.out_proj.weight");
        this.outProjBias = parameters.get(prefix + "attn.out_proj.bias");
        this.ln2Weight = parameters.get(prefix + "ln_2.weight");
        this.ln2Bias = parameters.get(prefix + "ln_2.bias");
        this.fcWeight = parameters.get(prefix + "mlp.c_fc.weight");
        this.fcBias = parameters.get(prefix + "mlp.c_fc.bias");
        this.projWeight = parameters.get(prefix + "mlp.c_proj.weight");
        this.projBias = parameters.get(prefix + "mlp.c_proj.bias");
    }

    /**
     * @param x (B, T, W)
     * @param attentionMask additive (T, T) mask, or {@code null} for full attention
     * @return (B, T, W)
     */
    public NDArray forward(NDArray x, NDArray attentionMask) {
        NDArray h = x.add(attention(layerNorm(x, ln1Weight, ln1Bias), attentionMask)); // (B, T, W)
        return h.add(mlp(layerNorm(h, ln2Weight, ln2Bias))); // (B, T, W)
    }

    /** Multi-head self-attention of (B, T, W) → (B, T, W). */
    NDArray attention(NDArray x, NDArray attentionMask) {
        NDArray qkv = Linear.linear(x, inProjWeight, inProjBias).singletonOrThrow(); // (B, T, 3W)
        NDArray merged =
                MultiHeadAttention.attend(
                        qkv, heads, attentionMask, MultiHeadAttention.Scaling.SCORES); // (B, T, W)
        return Linear.linear(merged, outProjWeight, outProjBias).singletonOrThrow(); // (B, T, W)
    }

    /** {@code c_proj(act(c_fc(x)))}, (B, T, W) → (B, T, W). */
    NDArray mlp(NDArray x) {
        NDArray hidden = Linear.linear(x, fcWeight, fcBias).singletonOrThrow(); // (B, T, 4W)
        return Linear.linear(activate(hidden, activation), projWeight, projBias)
                .singletonOrThrow(); // (B, T, W)
    }

    private NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return layerNorm(x, gamma, beta, layerNormEps);
    }

    /** Layer norm over the last axis of width {@code gamma.size()}. */
    static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
        return LayerNorm.layerNorm(x, new Shape(gamma.size()), gamma, beta, eps).singletonOrThrow();
    }

    /** QuickGELU {@code x · sigmoid(1.702 x)} or the exact GELU {@code x · Φ(x)}. */
    static NDArray activate(NDArray x, ClipConfig.Activation activation) {
        return switch (activation) {
            case QUICK_GELU -> x.mul(ai.djl.nn.Activation.sigmoid(HostData.times(x, 1.702)));
            case GELU -> ai.djl.nn.Activation.gelu(x);
        };
    }
}
