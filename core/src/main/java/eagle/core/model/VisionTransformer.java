package eagle.core.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI CLIP's image tower ({@code clip/model.py VisionTransformer}), applying the output head to
 * every token so that patch tokens land in the joint space as well (docs/METHOD.md §1):
 *
 * <pre>
 * x_p   = conv1(pixels)_p                       patch embedding, a stride-p convolution without bias
 * x     = [class_embedding; x_1 .. x_P] + positional_embedding
 * x     = resblocks(ln_pre(x))
 * g     = ln_post(x_0) · proj                   CLS feature
 * S_p   = ln_post(x_p) · proj,  p = 1..P        sequence (patch) features
 * </pre>
 *
 * <p>Shapes: pixels (B, 3, S, S) normalised with CLIP's mean and std; {@code conv1.weight} (W, 3,
 * p, p); {@code class_embedding} (W); {@code positional_embedding} (P+1, W); {@code proj} (W, D);
 * output {@link ImageFeatures} with cls (B, D) and patches (B, P, D), patches in row-major grid
 * order.
 *
 * <p>The convolution is computed as a matrix product ({@link PatchEmbedding}).
 */
public final class VisionTransformer implements ImageTower {

    private final ClipConfig.VisionConfig config;
    private final NDArray conv1Weight;
    private final NDArray classEmbedding;
    private final NDArray positionalEmbedding;
    private final NDArray lnPreWeight;
    private final NDArray lnPreBias;
    private final NDArray lnPostWeight;
    private final NDArray lnPostBias;
    private final NDArray proj;
    private final List<ResidualAttentionBlock> blocks = new ArrayList<>();

    VisionTransformer(ClipConfig.VisionConfig config, Map<String, NDArray> parameters) {
        this.config = config;
        this.conv1Weight = parameters.get("visual.conv1.weight");
        this.classEmbedding = parameters.get("visual.class_embedding");
        this.positionalEmbedding = parameters.get("visual.positional_embedding");
        this.lnPreWeight = parameters.get("visual.ln_pre.weight");
        this.lnPreBias = parameters.get("visual.ln_pre.bias");
        this.lnPostWeight = parameters.get("visual.ln_post.weight");
        this.lnPostBias = parameters.get("visual.ln_post.bias");
        this.proj = parameters.get("visual.proj");
        for (int i = 0; i < config.layers(); i++) {
            blocks.add(
                    new ResidualAttentionBlock(
                            parameters,
                            "visual.transformer.resblocks." + i + ".",
                            config.heads(),
                            config.activation(),
                            config.layerNormEps()));
        }
    }

    /**
     * @param pixels (B, 3, S, S) in the model's data type
     * @return cls (B, D) and patches (B, P, D), unnormalised
     */
    @Override
    public ImageFeatures forward(NDArray pixels) {
        NDArray tokens = tokens(pixels); // (B, P+1, W)
        NDArray normed =
                ResidualAttentionBlock.layerNorm(
                        tokens,
                        lnPostWeight,
                        lnPostBias,
                        (float) config.layerNormEps()); // (B, P+1, W)
        return ImageFeatures.ofTokens(normed.matMul(proj)); // (B, P+1, D) → cls, patches
    }

    /**
     * The token sequence after the last block, before {@code ln_post}: (B, 3, S, S) → (B, P+1, W).
     */
    NDArray tokens(NDArray pixels) {
        NDArray x =
                ResidualAttentionBlock.layerNorm(
                        embed(pixels),
                        lnPreWeight,
                        lnPreBias,
                        (float) config.layerNormEps()); // (B, P+1, W)
        for (ResidualAttentionBlock block : blocks) {
            x = block.forward(x, null); // (B, P+1, W)
        }
        return x;
    }

    /**
     * Patch and class embeddings plus positions, before {@code ln_pre}: (B, 3, S, S) → (B, P+1, W).
     */
    NDArray embed(NDArray pixels) {
        return PatchEmbedding.embed(
                pixels,
                config,
                conv1Weight,
                null,
                classEmbedding,
                positionalEmbedding); // (B, P+1, W)
    }

    /** The (unshared) blocks, first to last. */
    public List<ResidualAttentionBlock> blocks() {
        return List.copyOf(blocks);
    }
}
