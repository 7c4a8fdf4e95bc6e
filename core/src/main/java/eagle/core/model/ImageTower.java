package eagle.core.model;

import ai.djl.ndarray.NDArray;

/**
 * An image tower of a {@link ClipModel} (docs/METHOD.md §1): OpenAI CLIP's {@link
 * VisionTransformer} or EVA01-CLIP's {@link EvaVisionTransformer}, chosen by {@link
 * ClipConfig#visionFamily()}. Either applies its output head to every token, so that masked average
 * pooling (docs/METHOD.md §2) reads patch features in the joint space.
 */
public interface ImageTower {

    /**
     * @param pixels (B, 3, S, S) in the model's data type, normalised with CLIP's mean and std
     * @return cls (B, D) and patches (B, P, D), unnormalised, patches in row-major grid order
     */
    ImageFeatures forward(NDArray pixels);
}
