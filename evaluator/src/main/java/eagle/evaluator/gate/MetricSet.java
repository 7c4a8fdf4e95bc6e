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
 */
public record MetricSet(Integer version, String sha256, Map<String, Double> values) {

    public MetricSet {
        Objects.requireNonNull(values, "values");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
