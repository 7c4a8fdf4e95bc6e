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

  public AdamConfig {
    OptimArgs.checkHyperParameters(lr, beta1, beta2, eps, weightDecay);
  }

  /** PyTorch's AdamW defaults with the given learning rate. */
  public static AdamConfig defaults(double lr) {
    return new AdamConfig(lr, 0.9, 0.999, 1e-8, 0.01);
  }

  public AdamConfig withWeightDecay(double wd) {
    return new AdamConfig(lr, beta1, beta2, eps, wd);
  }
}
