package eagle.evaluator.gate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-item outcomes that agree with given values, for tests whose metric sets meet paired
 * thresholds: for each fraction metric with a value v in [0, 1], 1,000 items of which the first
 * round(1000·v) are right. Two such sets share their right items as far as both go, so a paired
 * comparison sees exactly the values' difference.
 */
final class MatchingOutcomes {

    static final int ITEMS = 1000;

    private MatchingOutcomes() {}

    /** The values with their matching outcomes. */
    static MetricSet set(Integer version, String sha256, Map<String, Double> values) {
        Map<String, boolean[]> outcomes = new LinkedHashMap<>();
        values.forEach(
                (metric, v) -> {
                    if (v != null && v >= 0 && v <= 1) {
                        boolean[] perItem = new boolean[ITEMS];
                        java.util.Arrays.fill(perItem, 0, (int) Math.round(v * ITEMS), true);
                        outcomes.put(metric, perItem);
                    }
                });
        return new MetricSet(version, sha256, values, outcomes);
    }
}
