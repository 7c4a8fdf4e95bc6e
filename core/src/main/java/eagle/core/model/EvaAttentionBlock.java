package eagle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import java.util.Map;

/**
 * One block of EVA01-CLIP's image tower (core/EVA.md; docs/METHOD.md §1), pre-LN like OpenAI CLIP's
 * but with EVA's parameter layout:
 *
 * <pre>
 * x = x + attn(norm1(x))
 * x = x + mlp(norm2(x)),   mlp(h) = fc2(GELU(fc1(h)))
 * attn(h): [q k v] = h · qkv.weightᵀ + [q_bias; 0; v_bias]      (the keys have no bias)
 *          softmax((q / √(W/H)) kᵀ) v per head, heads concatenated, then proj
 * </pre>
 *
 * <p>Shapes: input and output (B, T, W); parameters (names relative to the block's prefix {@code
 * visual.blocks.{i}.}) {@code norm1.*} (W), {@code attn.q_bias} (W), {@code attn.v_bias} (W),
 * {@code attn.qkv.weight} (3W, W), {@code attn.proj.weight} (W, W), {@code attn.proj.bias} (W),
 * {@code norm2.*} (W), {@code mlp.fc1.weight} (M, W), {@code mlp.fc1.bias} (M), {@code
 * mlp.fc2.weight} (W, M), {@code mlp.fc2.bias} (W), M the MLP width.
 *
 * <p>Like {@link ResidualAttentionBlock} it holds no state of its own and reads the model's arrays
 * by name.
 */
public final class EvaAttentionBlock {

    private final int heads;
    private final ClipConfig.Activation activation;
    private final float layerNormEps;
    private final NDArray norm1Weight;
    private final NDArray norm1Bias;
    private final NDArray qBias;
    private final NDArray vBias;
    private final NDArray qkvWeight;
    private final NDArray projWeight;
    private final NDArray projBias;
    private final NDArray norm2Weight;
    private final NDArray norm2Bias;
    private final NDArray fc1Weight;
    private final NDArray fc1Bias;
    private final NDArray fc2Weight;
    private final NDArray fc2Bias;

    EvaAttentionBlock(
            Map<String, NDArray> parameters, String prefix, ClipConfig.VisionConfig config) {
        this.heads = config.heads();
        this.activation = config.activation();
        this.layerNormEps = (float) config.layerNormEps();
        this.norm1Weight = parameters.get(prefix + "norm1.weight");
        this.norm1Bias = parameters.get(prefix + "norm1.bias");
        this.qBias = parameters.get(prefix + "attn.q_bias");
        this.vBias = parameters.get(prefix + "attn.v_bias");
        this.qkvWeight = parameters.get(prefix + "attn.qkv.weight");
        this.projWeight = parameters.get(prefix + "attn.proj.weight");
        this.projBias = parameters.get(prefix + "attn.proj.bias");
        this.norm2Weight = parameters.get(prefix + "norm2.weight");
        this.norm2Bias = parameters.get(prefix + "norm2.bias");
        this.fc1Weight = parameters.get(prefix + "mlp.fc1.weight");
        this.fc1Bias = parameters.get(prefix + "mlp.fc1.bias");
        this.fc2Weight = parameters.get(prefix + "mlp.fc2.weight");
        this.fc2Bias = parameters.get(prefix + "mlp.fc2.bias");
    }

    /** (B, T, W) → (B, T, W). */
    public NDArray forward(NDArray x) {
        NDArray normed1 =
                ResidualAttentionBlock.layerNorm(
                        x, norm1Weight, norm1Bias, layerNormEps); // (B, T, W)
        NDArray h = x.add(attention(normed1)); // (B, T, W)
        NDArray normed2 =
                ResidualAttentionBlock.layerNorm(
                        h, norm2Weight, norm2Bias, layerNormEps); // (B, T, W)
        return h.add(mlp(normed2)); // (B, T, W)
    }

    /** Multi-head self-attention with EVA's q/v-only bias, (B, T, W) → (B, T, W). */
    NDArray attention(NDArray x) {
        NDArray noKeyBias = vBias.zerosLike(); // (W), never trained
        NDArray bias = NDArrays.concat(new NDList(qBias, noKeyBias, vBias), 0); // (3W)
        NDArray qkv = Linear.linear(x, qkvWeight, bias).singletonOrThrow(); // (B, T, 3W)
        NDArray merged =
                MultiHeadAttention.attend(
                        qkv, heads, null, MultiHeadAttention.Scaling.QUERIES); // (B, T, W)
        return Linear.linear(merged, projWeight, projBias).singletonOrThrow(); // (B, T, W)
    }

    /** {@code fc2(act(fc1(x)))}, (B, T, W) → (B, T, W). */
    NDArray mlp(NDArray x) {
        NDArray hidden = Linear.linear(x, fc1Weight, fc1Bias).singletonOrThrow(); // (B, T, M)
        NDArray activated = ResidualAttentionBlock.activate(hidden, activation); // (B, T, M)
        return Linear.linear(activated, fc2Weight, fc2Bias).singletonOrThrow(); // (B, T, W)
    }
}
