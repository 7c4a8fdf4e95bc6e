package eagle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;

/**
 * The image towers' token embedding (docs/METHOD.md §1), shared by {@link VisionTransformer} and
 * {@link EvaVisionTransformer}: a stride-p convolution over the pixels, the class token in front,
 * positions added. The convolution is computed as a matrix product: each p×p patch is flattened in
 * (channel, row, column) order, the layout of the kernel (W, 3, p, p), which makes it exactly the
 * stride-p convolution.
 */
final class PatchEmbedding {

    private PatchEmbedding() {}

    /**
     * (B, 3, S, S) → (B, P+1, W).
     *
     * @param pixels (B, 3, S, S)
     * @param config the tower's patch size, grid and width W
     * @param kernel (W, 3, p, p)
     * @param bias (W), or null for a convolution without bias
     * @param classToken W values, e.g. (W) or (1, 1, W)
     * @param positions (P+1, W) or (1, P+1, W)
     */
    static NDArray embed(
            NDArray pixels,
            ClipConfig.VisionConfig config,
            NDArray kernel,
            NDArray bias,
            NDArray classToken,
            NDArray positions) {
        long b = pixels.getShape().get(0);
        int p = config.patchSize();
        int grid = config.grid();
        int width = config.width();
        NDArray patches =
                pixels.reshape(b, 3, grid, p, grid, p) // (B, 3, g, p, g, p)
                        .transpose(0, 2, 4, 1, 3, 5) // (B, g, g, 3, p, p)
                        .reshape(b, (long) grid * grid, 3L * p * p); // (B, P, 3p²)
        NDArray flatKernel = kernel.reshape(width, 3L * p * p); // (W, 3p²)
        NDArray embedded = Linear.linear(patches, flatKernel, bias).singletonOrThrow(); // (B, P, W)
        NDArray cls = classToken.reshape(1, 1, width).broadcast(b, 1, width); // (B, 1, W)
        return NDArrays.concat(new NDList(cls, embedded), 1).add(positions); // (B, P+1, W)
    }
}
