package eagle.evaluator.gate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The metric values of one encoder version on one suite.
 *
 * @param version registry version number (null for an encoder outside the registry)
 * @param sha256 artifact digest
 * @param values metric values by dotted path; values may be NaN (the gate fails them)
 * @param outcomes per-item outcomes (right or wrong, in the suite's item order) of the metrics that
 *     are a fraction of items right, by the same path; what paired checks compare (may be empty)
 */
public record MetricSet(
        Integer version,
        String sha256,
        Map<String, Double> values,
        Map<String, boolean[]> outcomes) {

    public MetricSet {
        Objects.requireNonNull(values, "values");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
    }

    /** Values without per-item outcomes. */
    public MetricSet(Integer version, String sha256, Map<String, Double> values) {
        this(version, sha256, values, Map.of());
    }
}
