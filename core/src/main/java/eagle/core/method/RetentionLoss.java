package eagle.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import eagle.core.eval.Vectors;
import eagle.core.model.HostData;

/**
 * The optional retention term of this project (not the paper's; docs/METHOD.md §3): it keeps the
 * CLS feature of the encoder being trained near the frozen base encoder's.
 *
 * <pre>
 *   ĝ = g / ‖g‖₂,  ĝ₀ = g₀ / ‖g₀‖₂                     (B, D), L2-normalised rows
 *   L_ret = λ · (1/B) Σ_b ‖ĝ_b − ĝ₀_b‖²₂  = λ · (1/B) Σ_b (2 − 2 cos(g_b, g₀_b))
 * </pre>
 *
 * Both features are normalised before the difference, because the CLS feature is used normalised
 * (zero-shot classification by cosine), so only its direction is worth keeping. g₀ is treated as a
 * constant (its gradient is stopped). Default λ = 0 switches the term off.
 *
 * <p>Shapes: B images, D joint embedding width.
 */
public final class RetentionLoss {

    private final float lambda;

    /**
     * @param lambda λ ≥ 0
     */
    public RetentionLoss(float lambda) {
        if (!(lambda >= 0f) || Float.isInfinite(lambda)) {
            throw new IllegalArgumentException(
                    "retention lambda must be finite and >= 0, got " + lambda);
        }
        this.lambda = lambda;
    }

    public float lambda() {
        return lambda;
    }

    /**
     * λ · mean ‖ĝ − ĝ₀‖².
     *
     * @param g CLS features of the encoder being trained, (B, D)
     * @param g0 CLS features of the frozen base encoder for the same images, (B, D)
     * @return scalar
     */
    public NDArray compute(NDArray g, NDArray g0) {
        Shape gs = g.getShape();
        if (gs.dimension() != 2 || !gs.equals(g0.getShape())) {
            throw new IllegalArgumentException(
                    "CLS features must both be (B, D), got " + gs + " and " + g0.getShape());
        }
        NDArray diff = Vectors.normalized(g).sub(Vectors.normalized(g0.stopGradient())); // (B, D)
        return HostData.times(diff.square().sum(new int[] {1}).mean(), lambda);
    }
}
