package eagle.evaluator.gate;

import java.util.List;

/**
 * The thresholds the gate applies, per metric and slice.
 *
 * @param thresholds one entry per (metric, slice); a metric may appear in several slices
 */
public record GateConfig(List<MetricThreshold> thresholds) {

    public GateConfig {
        thresholds = List.copyOf(thresholds);
        if (thresholds.isEmpty()) {
            throw new IllegalArgumentException("a gate needs at least one threshold");
        }
    }

    /**
     * The defaults:
     *
     * <ul>
     *   <li>{@code zeroshot_cls} (CLS zero-shot): no worse than the baseline by more than 0.01 and
     *       no worse than the base by more than 0.02;
     *   <li>{@code zeroshot_seq} and {@code mmvp.pair_accuracy}: not shown below the baseline's or
     *       the base's by the suite, and {@code pope.adversarial.fpr} not shown above them, paired
     *       ({@link ChangeThreshold#paired}): a zero-margin check on point values passed or failed
     *       candidates on differences of a few items the suite cannot resolve (docs/BENCHMARKS.md,
     *       "Continual rounds"); the check against the base keeps such unresolvable losses from
     *       adding up over rounds. The FPR's items are the questions about absent objects,
     *       resampled one by one (not by image as its interval is): a narrower interval, so a
     *       stricter check.
     * </ul>
     */
    public static GateConfig defaults() {
        return new GateConfig(
                List.of(
                        MetricThreshold.changes(
                                "zeroshot_cls",
                                Direction.HIGHER_IS_BETTER,
                                ChangeThreshold.absolute(Reference.BASELINE, -0.01),
                                ChangeThreshold.absolute(Reference.BASE, -0.02)),
                        MetricThreshold.changes(
                                "zeroshot_seq",
                                Direction.HIGHER_IS_BETTER,
                                ChangeThreshold.paired(Reference.BASELINE, 0.0),
                                ChangeThreshold.paired(Reference.BASE, 0.0)),
                        MetricThreshold.changes(
                                "pope.adversarial.fpr",
                                Direction.LOWER_IS_BETTER,
                                ChangeThreshold.paired(Reference.BASELINE, 0.0),
                                ChangeThreshold.paired(Reference.BASE, 0.0)),
                        MetricThreshold.changes(
                                "mmvp.pair_accuracy",
                                Direction.HIGHER_IS_BETTER,
                                ChangeThreshold.paired(Reference.BASELINE, 0.0),
                                ChangeThreshold.paired(Reference.BASE, 0.0))));
    }
}
