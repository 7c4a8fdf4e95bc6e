package eagle.core.model;

import ai.djl.ndarray.NDArray;

/**
 * The image tower's outputs in the joint space, unnormalised: {@code cls = ln_post(x_0) · proj} and
 * {@code patches[:, p] = ln_post(x_{p+1}) · proj} (the same head on every token).
 *
 * @param cls (B, D)
 * @param patches (B, P, D), patches in row-major grid order
 */
public record ImageFeatures(NDArray cls, NDArray patches) {}
