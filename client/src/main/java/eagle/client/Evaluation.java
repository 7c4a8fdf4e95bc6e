package eagle.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A recorded evaluation ({@code EvaluationView}); {@code raw} is the registry's whole JSON object.
 *
 * @param purpose {@code thresholds._gate.purpose} as the evaluator writes it ({@code candidate}
 *     when absent)
 */
public record Evaluation(
        String id,
        int version,
        String suiteId,
        Integer baselineVersion,
        boolean passed,
        String reportUrl,
        String purpose,
        String createdAt,
        JsonNode raw) {}
