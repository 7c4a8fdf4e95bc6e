package eagle.core.optim;

import java.util.function.Predicate;

/**
 * Hyper-parameters of {@link GaloreAdamW}; defaults as in the reference implementation.
 *
 * @param rank r, rank of the projected gradient (reference: 128 for large models)
 * @param updateGap T, steps between SVD refreshes of the basis (default 200)
 * @param scale α, multiplies the back-projected update (default 0.25)
 * @param lr learning rate (peak when scheduled)
 * @param beta1 first-moment decay (default 0.9)
 * @param beta2 second-moment decay (default 0.999)
 * @param eps added to √V (default 1e-6, the reference's)
 * @param weightDecay decoupled weight decay, applied after the Adam update (default 0)
 * @param momentPolicy what happens to the moments at a basis change (default {@link
 *     MomentPolicy#KEEP}, the reference's)
 * @param galoreTarget which parameter names get the GaLore update (must be 2-D); all others get
 *     plain AdamW (default {@link #CLIP_BLOCK_WEIGHTS})
 */
public record GaloreConfig(
        int rank,
        int updateGap,
        double scale,
        double lr,
        double beta1,
        double beta2,
        double eps,
        double weightDecay,
        MomentPolicy momentPolicy,
        Predicate<String> galoreTarget) {

    /**
     * ε of GaLore-AdamW, added to the raw root second moment √V: the value of GaLore's reference
     * AdamW ({@code galore_torch/adamw.py}), which docs/METHOD.md §5 ("Constants") adopts. It
     * differs from plain AdamW's {@link AdamConfig#EPS} (PyTorch's 1e-8, added to the
     * bias-corrected root) because each optimizer keeps the defaults of the implementation it
     * follows; the two also place ε differently, so the same number would not mean the same
     * damping.
     */
    public static final double EPS = 1e-6;

    /** T, steps between SVD refreshes of the basis (docs/METHOD.md §5). */
    public static final int UPDATE_GAP = 200;

    /** α, the scale of the back-projected update (docs/METHOD.md §5, GaLore §4.2). */
    public static final double SCALE = 0.25;

    /**
     * The 2-D attention and MLP weights of CLIP's transformer blocks (docs/METHOD.md §5): {@code
     * attn.in_proj_weight}, {@code attn.out_proj.weight}, {@code mlp.c_fc.weight}, {@code
     * mlp.c_proj.weight}.
     */
    public static final Predicate<String> CLIP_BLOCK_WEIGHTS =
            name ->
                    name.endsWith("in_proj_weight")
                            || name.endsWith("out_proj.weight")
                            || name.endsWith("c_fc.weight")
                            || name.endsWith("c_proj.weight");

    public GaloreConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
        if (updateGap < 1) {
            throw new IllegalArgumentException("updateGap must be >= 1, got " + updateGap);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
        }
        OptimArgs.checkHyperParameters(lr, beta1, beta2, eps, weightDecay);
        if (momentPolicy == null || galoreTarget == null) {
            throw new IllegalArgumentException("momentPolicy and galoreTarget are required");
        }
    }

    /**
     * Reference defaults (T 200, α 0.25, β 0.9/0.999, ε 1e-6, wd 0, KEEP) for CLIP's block weights.
     */
    public static GaloreConfig defaults(double lr, int rank) {
        return new GaloreConfig(
                rank,
                UPDATE_GAP,
                SCALE,
                lr,
                AdamConfig.BETA1,
                AdamConfig.BETA2,
                EPS,
                0.0,
                MomentPolicy.KEEP,
                CLIP_BLOCK_WEIGHTS);
    }

    public GaloreConfig withUpdateGap(int t) {
        return new GaloreConfig(
                rank, t, scale, lr, beta1, beta2, eps, weightDecay, momentPolicy, galoreTarget);
    }

    public GaloreConfig withWeightDecay(double wd) {
        return new GaloreConfig(
                rank, updateGap, scale, lr, beta1, beta2, eps, wd, momentPolicy, galoreTarget);
    }

    public GaloreConfig withMomentPolicy(MomentPolicy policy) {
        return new GaloreConfig(
                rank, updateGap, scale, lr, beta1, beta2, eps, weightDecay, policy, galoreTarget);
    }

    public GaloreConfig withGaloreTarget(Predicate<String> target) {
        return new GaloreConfig(
                rank, updateGap, scale, lr, beta1, beta2, eps, weightDecay, momentPolicy, target);
    }
}
