package eagle.gateway;

/**
 * What {@code POST /v1/encoders/{name}/embed} returns: the image tower's features of one image, as
 * {@code ClipModel.encodeImage} computes them (unnormalised, in the joint image-text space).
 *
 * <p>{@code cls} = ln_post(x[0]) @ proj, shape (D); {@code patches} row p = ln_post(x[p+1]) @ proj,
 * shape (P, D) with P = grid[0]·grid[1] patches in row-major order (patch (i, j) of the grid at p =
 * i·grid[1] + j).
 */
public record Embedding(
        String model,
        int version,
        String sha256,
        int dim,
        int[] grid,
        float[] cls,
        float[][] patches) {}
