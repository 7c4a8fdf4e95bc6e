package eagle.evaluator.gate;

import java.util.List;
import java.util.Objects;

/**
 * The thresholds of one metric in one slice (TFMA's {@code MetricThreshold}): a value threshold
 * lower ≤ v ≤ upper (either bound optional) and change thresholds against the baseline and the
 * base.
 *
 * @param metric dotted metric path as {@code SuiteResult.metrics()} names it ({@code
 *     pope.adversarial.fpr})
 * @param slice the slice the verdict belongs to ({@code pope/adversarial}); any failing check fails
 *     it
 * @param direction how the metric improves; null stands for a direction the configuration did not
 *     understand, and fails every check of this metric (fail closed)
 * @param lower value lower bound, inclusive, or null
 * @param upper value upper bound, inclusive, or null
 * @param changes change thresholds, possibly empty
 */
public record MetricThreshold(
        String metric,
        String slice,
        Direction direction,
        Double lower,
        Double upper,
        List<ChangeThreshold> changes) {

    public MetricThreshold {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(slice, "slice");
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /**
     * The slice of a dotted path: {@code zeroshot_cls} → {@code zeroshot/cls}, {@code pope.x.fpr} →
     * {@code pope/x}.
     */
    public static String sliceOf(String metric) {
        if (metric.startsWith("zeroshot_")) {
            return "zeroshot/" + metric.substring("zeroshot_".length());
        }
        int last = metric.lastIndexOf('.');
        return last < 0 ? metric : metric.substring(0, last).replace('.', '/');
    }

    /** Only change thresholds, in the slice {@link #sliceOf} names. */
    public static MetricThreshold changes(
            String metric, Direction direction, ChangeThreshold... changes) {
        return new MetricThreshold(
                metric, sliceOf(metric), direction, null, null, List.of(changes));
    }

    /** Only a value threshold, in the slice {@link #sliceOf} names. */
    public static MetricThreshold value(
            String metric, Direction direction, Double lower, Double upper) {
        return new MetricThreshold(metric, sliceOf(metric), direction, lower, upper, List.of());
    }
}
