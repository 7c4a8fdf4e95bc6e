package eagle.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The prompt-retention term of this project (not the paper's; docs/METHOD.md §3): it keeps the
 * class-prompt embeddings of the text tower being trained near the frozen reference's, so that a
 * trained text tower does not carry the class prompts away from what zero-shot classification was
 * calibrated on.
 *
 * <pre>
 *   t̂ = t / ‖t‖₂,  t̂₀ = t₀ / ‖t₀‖₂                      (C, D), L2-normalised rows
 *   L_txt = λ_t · (1/C) Σ_c ‖t̂_c − t̂₀_c‖²₂  = λ_t · (1/C) Σ_c (2 − 2 cos(t_c, t₀_c))
 * </pre>
 *
 * t are the class embeddings the step uses (after prompt ensembling when there are K templates), t₀
 * the same embeddings of the reference weights θ₀, computed once and treated as a constant. The
 * rows are normalised again (a no-op up to rounding for embeddings already normalised), so the term
 * only weighs directions. λ_t = 0 switches it off.
 *
 * <p>Shapes: C classes, D joint embedding width.
 */
public final class PromptRetentionLoss {

    private final RetentionLoss distance;

    /**
     * @param lambda λ_t ≥ 0, finite
     */
    public PromptRetentionLoss(float lambda) {
        if (!(lambda >= 0f) || Float.isInfinite(lambda)) {
            throw new IllegalArgumentException(
                    "text retention lambda must be finite and >= 0, got " + lambda);
        }
        this.distance = new RetentionLoss(lambda);
    }

    public float lambda() {
        return distance.lambda();
    }

    /**
     * λ_t · mean_c ‖t̂_c − t̂₀_c‖².
     *
     * @param t class embeddings of the weights being trained, (C, D)
     * @param t0 class embeddings of the reference weights, (C, D); its gradient is stopped
     * @return scalar
     * @throws IllegalArgumentException when the shapes are not both (C, D)
     */
    public NDArray compute(NDArray t, NDArray t0) {
        Shape ts = t.getShape();
        if (ts.dimension() != 2 || !ts.equals(t0.getShape())) {
            throw new IllegalArgumentException(
                    "class embeddings must both be (C, D), got " + ts + " and " + t0.getShape());
        }
        return distance.compute(
                t, t0); // the same row-normalised squared distance, averaged over the C rows
    }
}
