package eagle.core.optim;

/**
 * Hyper-parameters of {@link AdamW}.
 *
 * @param lr learning rate (peak value when a schedule is applied)
 * @param beta1 decay of the first moment (default 0.9)
 * @param beta2 decay of the second moment (default 0.999)
 * @param eps added to the bias-corrected root second moment (default 1e-8, PyTorch's)
 * @param weightDecay decoupled weight decay coefficient (default 0.01, PyTorch's)
 */
public record AdamConfig(double lr, double beta1, double beta2, double eps, double weightDecay) {

    /** β1, decay of the first moment: PyTorch's and GaLore's reference default. */
    public static final double BETA1 = 0.9;

    /** β2, decay of the second moment: PyTorch's and GaLore's reference default. */
    public static final double BETA2 = 0.999;

    /**
     * ε of plain AdamW: PyTorch's default, added to the bias-corrected root second moment.
     * GaLore-AdamW uses {@link GaloreConfig#EPS} instead (docs/METHOD.md §5).
     */
    public static final double EPS = 1e-8;

    /** Decoupled weight decay of {@link #defaults}: PyTorch's default. */
    public static final double WEIGHT_DECAY = 0.01;

    public AdamConfig {
        OptimArgs.checkHyperParameters(lr, beta1, beta2, eps, weightDecay);
    }

    /** PyTorch's AdamW defaults with the given learning rate. */
    public static AdamConfig defaults(double lr) {
        return new AdamConfig(lr, BETA1, BETA2, EPS, WEIGHT_DECAY);
    }

    public AdamConfig withWeightDecay(double wd) {
        return new AdamConfig(lr, beta1, beta2, eps, wd);
    }
}
