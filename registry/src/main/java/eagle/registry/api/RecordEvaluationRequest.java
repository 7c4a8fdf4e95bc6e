package eagle.registry.api;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/models/{model}/versions/{version}/evaluations}: an evaluation of a READY
 * version.
 *
 * @param suiteId the versioned evaluation suite (docs/METHOD.md §6)
 * @param baselineVersion the version the change thresholds compared against; null when there was
 *     none
 * @param metrics every metric value, by name
 * @param thresholds the thresholds applied (JSON object, by metric name)
 * @param slices one verdict per slice; at least one
 * @param passed overall verdict; must equal "every slice passed" (it is derived when absent)
 * @param reportUrl where the full report lives (optional)
 */
public record RecordEvaluationRequest(
        String suiteId,
        Integer baselineVersion,
        Map<String, Double> metrics,
        Map<String, Object> thresholds,
        List<SliceVerdict> slices,
        Boolean passed,
        String reportUrl) {}
