package eagle.core.optim;

/** Learning-rate schedules as pure functions of the step (nanoGPT's {@code get_lr}). */
public final class LearningRateSchedule {

    private LearningRateSchedule() {}

    /**
     * Linear warm-up then cosine decay, as nanoGPT's {@code train.py}:
     *
     * <pre>
     *   step &lt; warmup:           peak · (step + 1)/(warmup + 1)
     *   warmup ≤ step ≤ total:    min + ½(1 + cos(π·(step − warmup)/(total − warmup)))·(peak − min)
     *   step &gt; total:            min
     * </pre>
     *
     * @param step 0-based step
     * @param warmup warm-up steps (≥ 0)
     * @param total step at which the decay reaches {@code min} (&gt; warmup)
     * @param peak learning rate at the end of warm-up
     * @param min floor after decay (0 ≤ min ≤ peak)
     */
    public static double cosine(int step, int warmup, int total, double peak, double min) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (warmup < 0 || total <= warmup) {
            throw new IllegalArgumentException(
                    "need 0 <= warmup < total, got warmup " + warmup + " and total " + total);
        }
        if (!(min >= 0 && min <= peak) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException(
                    "need 0 <= min <= peak, got min " + min + " peak " + peak);
        }
        if (step < warmup) {
            return peak * (step + 1) / (warmup + 1);
        }
        if (step > total) {
            return min;
        }
        double ratio = (double) (step - warmup) / (total - warmup);
        double coeff = 0.5 * (1 + Math.cos(Math.PI * ratio));
        return min + coeff * (peak - min);
    }
}
