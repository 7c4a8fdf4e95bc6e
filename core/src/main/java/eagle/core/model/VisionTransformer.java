package eagle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI CLIP's image tower ({@code clip/model.py VisionTransformer}), applying the output head to every
 * token so that patch tokens land in the joint space as well (docs/METHOD.md §1):
 *
 * <pre>
 * x_p   = conv1(pixels)_p                       patch embedding, a stride-p convolution without bias
 * x     = [class_embedding; x_1 .. x_P] + positional_embedding
 * x     = resblocks(ln_pre(x))
 * g     = ln_post(x_0) · proj                   CLS feature
 * S_p   = ln_post(x_p) · proj,  p = 1..P        sequence (patch) features
 * </pre>
 *
 * <p>Shapes: pixels (B, 3, S, S) normalised with CLIP's mean and std; {@code conv1.weight} (W, 3, p, p);
 * {@code class_embedding} (W); {@code positional_embedding} (P+1, W); {@code proj} (W, D); output
 * {@link ImageFeatures} with cls (B, D) and patches (B, P, D), patches in row-major grid order.
 *
 * <p>The convolution is computed as a matrix product: each p×p patch is flattened in (channel, row,
 * column) order, the layout of {@code conv1.weight}, which makes it exactly the stride-p convolution.
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
      blocks.add(new ResidualAttentionBlock(parameters, "visual.transformer.resblocks." + i + ".",
          config.width(), config.heads(), config.activation(), config.layerNormEps()));
    }
  }

  /**
   * @param pixels (B, 3, S, S) in the model's data type
   * @return cls (B, D) and patches (B, P, D), unnormalised
   */
  @Override
  public ImageFeatures forward(NDArray pixels) {
    NDArray tokens = tokens(pixels); // (B, P+1, W)
    NDArray normed = ResidualAttentionBlock.layerNorm(
        tokens, lnPostWeight, lnPostBias, (float) config.layerNormEps()); // (B, P+1, W)
    NDArray features = normed.matMul(proj); // (B, P+1, D)
    NDArray cls = features.get(new NDIndex(":, 0, :")); // (B, D)
    NDArray patches = features.get(new NDIndex(":, 1:, :")); // (B, P, D)
    return new ImageFeatures(cls, patches);
  }

  /** The token sequence after the last block, before {@code ln_post}: (B, 3, S, S) → (B, P+1, W). */
  NDArray tokens(NDArray pixels) {
    NDArray x = ResidualAttentionBlock.layerNorm(
        embed(pixels), lnPreWeight, lnPreBias, (float) config.layerNormEps()); // (B, P+1, W)
    for (ResidualAttentionBlock block : blocks) {
      x = block.forward(x, null); // (B, P+1, W)
    }
    return x;
  }

  /** Patch and class embeddings plus positions, before {@code ln_pre}: (B, 3, S, S) → (B, P+1, W). */
  NDArray embed(NDArray pixels) {
    long b = pixels.getShape().get(0);
    int p = config.patchSize();
    int grid = config.grid();
    int width = config.width();
    NDArray patches = pixels.reshape(b, 3, grid, p, grid, p) // (B, 3, g, p, g, p)
        .transpose(0, 2, 4, 1, 3, 5) // (B, g, g, 3, p, p)
        .reshape(b, (long) grid * grid, 3L * p * p); // (B, P, 3p²)
    NDArray kernel = conv1Weight.reshape(width, 3L * p * p); // (W, 3p²)
    NDArray embedded = Linear.linear(patches, kernel).singletonOrThrow(); // (B, P, W)
    NDArray cls = classEmbedding.reshape(1, 1, width).broadcast(b, 1, width); // (B, 1, W)
    return NDArrays.concat(new NDList(cls, embedded), 1).add(positionalEmbedding); // (B, P+1, W)
  }

  /** The (unshared) blocks, first to last. */
  public List<ResidualAttentionBlock> blocks() {
    return List.copyOf(blocks);
  }
}
