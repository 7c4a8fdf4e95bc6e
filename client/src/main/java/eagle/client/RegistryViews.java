package eagle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's JSON views ({@code VersionView}, an alias's target, {@code AliasHistoryView},
 * {@code EvaluationView}) read into the records {@link RegistryClient} answers with. The numbers
 * that may be null (a root's parent, the first move's {@code from}, an evaluation's baseline) stay
 * null; a view without its model or alias gets the one that was asked for.
 */
final class RegistryViews {

    private RegistryViews() {}

    static Version version(String model, JsonNode n) {
        return new Version(
                n.path("model").asText(model),
                n.path("version").asInt(),
                intOrNull(n, "parentVersion"),
                n.path("sha256").asText(null),
                n.path("sizeBytes").asLong(),
                n.path("format").asText(null),
                n.path("architecture"),
                n.path("status").asText(null),
                n.path("createdAt").asText(null),
                n);
    }

    /** A model's versions, in the array's order. */
    static List<Version> versions(String model, JsonNode all) {
        List<Version> out = new ArrayList<>();
        for (JsonNode n : all) {
            out.add(version(model, n));
        }
        return out;
    }

    static AliasTarget alias(String model, String alias, JsonNode n) {
        return new AliasTarget(
                n.path("model").asText(model),
                n.path("alias").asText(alias),
                n.path("version").asInt(),
                n.path("sha256").asText(null),
                n.path("evaluationId").asText(null));
    }

    /** An alias's history, in the array's order. */
    static List<AliasHistoryEntry> history(JsonNode all) {
        List<AliasHistoryEntry> out = new ArrayList<>();
        for (JsonNode n : all) {
            out.add(
                    new AliasHistoryEntry(
                            n.path("id").asLong(),
                            intOrNull(n, "from"),
                            n.path("to").asInt(),
                            n.path("action").asText(null),
                            n.path("movedBy").asText(null),
                            n.path("reason").asText(null),
                            n.path("evaluationId").asText(null),
                            n.path("movedAt").asText(null)));
        }
        return out;
    }

    /**
     * A version's evaluations, in the array's order; the purpose is the gate's ({@code
     * thresholds._gate.purpose}), {@code candidate} where the evaluation does not say.
     */
    static List<Evaluation> evaluations(JsonNode all) {
        List<Evaluation> out = new ArrayList<>();
        for (JsonNode n : all) {
            out.add(
                    new Evaluation(
                            n.path("id").asText(null),
                            n.path("version").asInt(),
                            n.path("suiteId").asText(null),
                            intOrNull(n, "baselineVersion"),
                            n.path("passed").asBoolean(false),
                            n.path("reportUrl").asText(null),
                            n.path("thresholds").path("_gate").path("purpose").asText("candidate"),
                            n.path("createdAt").asText(null),
                            n));
        }
        return out;
    }

    private static Integer intOrNull(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asInt() : null;
    }
}
