package eagle.registry.api;

import eagle.registry.model.Evaluation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A recorded evaluation as the API shows it. */
public record EvaluationView(
        String id,
        String model,
        int version,
        String suiteId,
        Integer baselineVersion,
        Map<String, Object> metrics,
        Map<String, Object> thresholds,
        List<Map<String, Object>> slices,
        boolean passed,
        String reportUrl,
        String createdBy,
        Instant createdAt) {

    public static EvaluationView of(Evaluation e) {
        return new EvaluationView(
                e.id.toString(),
                e.version.model.name,
                e.version.number,
                e.suiteId,
                e.baselineNumber,
                e.metrics,
                e.thresholds,
                e.slices,
                e.passed,
                e.reportUrl,
                e.createdBy,
                e.createdAt);
    }
}
