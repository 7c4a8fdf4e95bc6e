package eagle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * EVA01-CLIP's image tower (the {@value ClipConfig#EVA01_CLIP} family; core/EVA.md, docs/METHOD.md
 * §1), the encoder BLIP-2 and InstructBLIP load, with its head applied to every token so that patch
 * tokens land in the joint space as well, as {@link VisionTransformer} does for OpenAI CLIP:
 *
 * <pre>
 * x_p   = patch_embed.proj(pixels)_p              a stride-p convolution WITH bias
 * x     = [cls_token; x_1 .. x_P] + pos_embed       no pre-norm (OpenAI CLIP has ln_pre)
 * x     = blocks(x)                                 {@link EvaAttentionBlock}, pre-LN, eps 1e-6, GELU
 * g     = head(norm(x_0))                           CLS feature (EVA-CLIP's forward: norm, token 0, head)
 * S_p   = head(norm(x_p)),  p = 1..P                sequence (patch) features through the same norm + head
 * </pre>
 *
 * <p>Shapes and EVA-CLIP's state-dict names (with {@code visual.}): {@code patch_embed.proj.weight}
 * (W, 3, p, p), {@code patch_embed.proj.bias} (W), {@code cls_token} (1, 1, W), {@code pos_embed}
 * (1, P+1, W), {@code blocks.{i}.*} (see {@link EvaAttentionBlock}), {@code norm.*} (W), {@code
 * head.weight} (D, W), {@code head.bias} (D); output {@link ImageFeatures} cls (B, D), patches (B,
 * P, D).
 *
 * <p>The structure follows EVA-CLIP's {@code EVAVisionTransformer} as EVA01-CLIP-g-14 configures it
 * (no mean pooling, so a final {@code norm} and no {@code fc_norm}; no layer scale, no relative
 * position bias, no rotary embedding, no sub-LN, no SwiGLU; the head a biased Linear to the joint
 * width). The MLP width is {@code int(W · mlpRatio)}, truncated as EVA's code does (1408 · 4.3637 →
 * 6144).
 */
public final class EvaVisionTransformer implements ImageTower {

    private final ClipConfig.VisionConfig config;
    private final NDArray patchWeight;
    private final NDArray patchBias;
    private final NDArray clsToken;
    private final NDArray posEmbed;
    private final NDArray normWeight;
    private final NDArray normBias;
    private final NDArray headWeight;
    private final NDArray headBias;
    private final List<EvaAttentionBlock> blocks = new ArrayList<>();

    EvaVisionTransformer(ClipConfig.VisionConfig config, Map<String, NDArray> parameters) {
        this.config = config;
        this.patchWeight = parameters.get("visual.patch_embed.proj.weight");
        this.patchBias = parameters.get("visual.patch_embed.proj.bias");
        this.clsToken = parameters.get("visual.cls_token");
        this.posEmbed = parameters.get("visual.pos_embed");
        this.normWeight = parameters.get("visual.norm.weight");
        this.normBias = parameters.get("visual.norm.bias");
        this.headWeight = parameters.get("visual.head.weight");
        this.headBias = parameters.get("visual.head.bias");
        for (int i = 0; i < config.layers(); i++) {
            blocks.add(new EvaAttentionBlock(parameters, "visual.blocks." + i + ".", config));
        }
    }

    /**
     * The MLP width of an EVA block, {@code int(W · mlpRatio)} (truncated, as EVA's code computes
     * it).
     */
    public static int mlpWidth(ClipConfig.VisionConfig config) {
        return (int) (config.width() * config.mlpRatio());
    }

    /**
     * Puts the image tower's names and shapes, in parameter order, into {@code shapes} (see the
     * class comment); nothing is allocated.
     */
    static void putShapes(
            Map<String, long[]> shapes, ClipConfig.VisionConfig vision, int embedDim) {
        long w = vision.width();
        long m = mlpWidth(vision);
        shapes.put(
                "visual.patch_embed.proj.weight",
                new long[] {w, 3, vision.patchSize(), vision.patchSize()});
        shapes.put("visual.patch_embed.proj.bias", new long[] {w});
        shapes.put("visual.cls_token", new long[] {1, 1, w});
        shapes.put("visual.pos_embed", new long[] {1, vision.numPatches() + 1L, w});
        for (int i = 0; i < vision.layers(); i++) {
            String prefix = "visual.blocks." + i + ".";
            shapes.put(prefix + "norm1.weight", new long[] {w});
            shapes.put(prefix + "norm1.bias", new long[] {w});
            shapes.put(prefix + "attn.q_bias", new long[] {w});
            shapes.put(prefix + "attn.v_bias", new long[] {w});
            shapes.put(prefix + "attn.qkv.weight", new long[] {3 * w, w});
            shapes.put(prefix + "attn.proj.weight", new long[] {w, w});
            shapes.put(prefix + "attn.proj.bias", new long[] {w});
            shapes.put(prefix + "norm2.weight", new long[] {w});
            shapes.put(prefix + "norm2.bias", new long[] {w});
            shapes.put(prefix + "mlp.fc1.weight", new long[] {m, w});
            shapes.put(prefix + "mlp.fc1.bias", new long[] {m});
            shapes.put(prefix + "mlp.fc2.weight", new long[] {w, m});
            shapes.put(prefix + "mlp.fc2.bias", new long[] {w});
        }
        shapes.put("visual.norm.weight", new long[] {w});
        shapes.put("visual.norm.bias", new long[] {w});
        shapes.put("visual.head.weight", new long[] {embedDim, w});
        shapes.put("visual.head.bias", new long[] {embedDim});
    }

    @Override
    public ImageFeatures forward(NDArray pixels) {
        NDArray tokens = tokens(pixels, blocks.size()); // (B, P+1, W)
        NDArray normed =
                ResidualAttentionBlock.layerNorm(
                        tokens, normWeight, normBias, (float) config.layerNormEps()); // (B, P+1, W)
        NDArray features =
                Linear.linear(normed, headWeight, headBias).singletonOrThrow(); // (B, P+1, D)
        return ImageFeatures.ofTokens(features);
    }

    /**
     * The token sequence after the first {@code depth} blocks, before the final norm: (B, 3, S, S)
     * → (B, P+1, W). {@code depth = layers − 1} is what BLIP-2 and InstructBLIP read (core/EVA.md).
     *
     * @param depth 0 (the embeddings) to {@code layers}
     */
    public NDArray tokens(NDArray pixels, int depth) {
        if (depth < 0 || depth > blocks.size()) {
            throw new IllegalArgumentException(
                    "depth must be 0.." + blocks.size() + ", was " + depth);
        }
        NDArray x = embed(pixels); // (B, P+1, W)
        for (int i = 0; i < depth; i++) {
            x = blocks.get(i).forward(x); // (B, P+1, W)
        }
        return x;
    }

    /** Patch and class embeddings plus positions: (B, 3, S, S) → (B, P+1, W). */
    NDArray embed(NDArray pixels) {
        return PatchEmbedding.embed(
                pixels, config, patchWeight, patchBias, clsToken, posEmbed); // (B, P+1, W)
    }

    /** The (unshared) blocks, first to last. */
    public List<EvaAttentionBlock> blocks() {
        return List.copyOf(blocks);
    }
}
