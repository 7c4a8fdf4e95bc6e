package eagle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * The image tower's outputs in the joint space, unnormalised: {@code cls = ln_post(x_0) · proj} and
 * {@code patches[:, p] = ln_post(x_{p+1}) · proj} (the same head on every token).
 *
 * @param cls (B, D)
 * @param patches (B, P, D), patches in row-major grid order
 */
public record ImageFeatures(NDArray cls, NDArray patches) {

    /**
     * Splits the head's output on every token into the CLS feature (token 0) and the patch
     * features.
     *
     * @param tokens (B, P+1, D)
     */
    static ImageFeatures ofTokens(NDArray tokens) {
        NDArray cls = tokens.get(new NDIndex(":, 0, :")); // (B, D)
        NDArray patches = tokens.get(new NDIndex(":, 1:, :")); // (B, P, D)
        return new ImageFeatures(cls, patches);
    }
}
