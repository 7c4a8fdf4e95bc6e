package eagle.evaluator.gate;

import java.util.List;

/**
 * The gate's result (TFX's blessing): every value, threshold, reference version and per-check
 * verdict.
 *
 * @param candidate the candidate's metrics
 * @param baseline the baseline's metrics, null when there was no baseline
 * @param base the base encoder's metrics, null when there was none
 * @param config the thresholds applied
 * @param slices one verdict per slice
 * @param notes what the gate could not apply and why ("no baseline: ..."), in order
 * @param passed true iff every slice passed
 */
public record Blessing(
        MetricSet candidate,
        MetricSet baseline,
        MetricSet base,
        GateConfig config,
        List<SliceVerdict> slices,
        List<String> notes,
        boolean passed) {

    public Blessing {
        slices = List.copyOf(slices);
        notes = List.copyOf(notes);
    }

    /** Every check of every slice. */
    public List<Check> checks() {
        return slices.stream().flatMap(s -> s.checks().stream()).toList();
    }

    /** The baseline's version, or null. */
    public Integer baselineVersion() {
        return baseline == null ? null : baseline.version();
    }
}
