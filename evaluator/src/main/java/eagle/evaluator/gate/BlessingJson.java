package eagle.evaluator.gate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Blessing} as the body of the registry's {@code POST .../evaluations} ({@code
 * RecordEvaluationRequest}):
 *
 * <ul>
 *   <li>{@code metrics}: the candidate's finite values by metric path;
 *   <li>{@code thresholds}: per {@code metric@slice} the configured threshold and every check
 *       (threshold, candidate, reference, observed, verdict, reason), plus {@code _gate}: purpose,
 *       baseline and base version/sha256/metrics and the notes (e.g. "no baseline");
 *   <li>{@code slices}: one verdict per slice with {@code candidate.m}, {@code baseline.m}, {@code
 *       base.m} values and the first failing reason.
 * </ul>
 *
 * Non-finite numbers never go into the JSON (the registry refuses them); a NaN shows as a failing
 * check whose reason says so, and as the string "NaN" in the check.
 */
public final class BlessingJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BlessingJson() {}

    public static ObjectNode request(Blessing b, String suiteId, String purpose, String reportUrl) {
        ObjectNode body = JSON.createObjectNode();
        body.put("suiteId", suiteId);
        if (b.baselineVersion() != null) {
            body.put("baselineVersion", b.baselineVersion());
        } else {
            body.putNull("baselineVersion");
        }
        ObjectNode metrics = body.putObject("metrics");
        b.candidate()
                .values()
                .forEach(
                        (k, v) -> {
                            if (v != null && Double.isFinite(v)) {
                                metrics.put(k, v);
                            }
                        });
        if (metrics.isEmpty()) {
            metrics.put("gate.metrics_present", 0.0);
        }
        ObjectNode thresholds = body.putObject("thresholds");
        ObjectNode gate = thresholds.putObject("_gate");
        gate.put("purpose", purpose);
        reference(gate.putObject("baseline"), b.baseline());
        reference(gate.putObject("base"), b.base());
        ArrayNode notes = gate.putArray("notes");
        b.notes().forEach(notes::add);
        for (MetricThreshold t : b.config().thresholds()) {
            ObjectNode o = GateConfigJson.toJson(t);
            ArrayNode checks = o.putArray("checks");
            for (Check c : b.checks()) {
                if (c.metric().equals(t.metric()) && c.slice().equals(t.slice())) {
                    ObjectNode n = checks.addObject();
                    n.put("kind", c.kind().name());
                    n.put(
                            "against",
                            c.against() == null
                                    ? null
                                    : c.against().name().toLowerCase(Locale.ROOT));
                    if (c.referenceVersion() != null) {
                        n.put("referenceVersion", c.referenceVersion());
                    }
                    num(n, "threshold", c.threshold());
                    num(n, "candidate", c.candidate());
                    num(n, "reference", c.reference());
                    num(n, "observed", c.observed());
                    n.put("passed", c.passed());
                    n.put("reason", c.reason());
                }
            }
            thresholds.set(t.metric() + "@" + t.slice(), o);
        }
        ArrayNode slices = body.putArray("slices");
        for (SliceVerdict s : b.slices()) {
            ObjectNode n = slices.addObject();
            n.put("slice", s.slice());
            n.put("passed", s.passed());
            ObjectNode m = n.putObject("metrics");
            for (Check c : s.checks()) {
                finite(m, "candidate." + c.metric(), c.candidate());
                if (c.against() != null && c.reference() != null) {
                    finite(
                            m,
                            c.against().name().toLowerCase(Locale.ROOT) + "." + c.metric(),
                            c.reference());
                }
            }
            if (s.reason() != null) {
                n.put("reason", truncate(s.reason()));
            }
        }
        body.put("passed", b.passed());
        if (reportUrl != null) {
            body.put("reportUrl", reportUrl);
        }
        return body;
    }

    private static void reference(ObjectNode o, MetricSet m) {
        if (m == null) {
            o.putNull("version");
            return;
        }
        if (m.version() != null) {
            o.put("version", m.version());
        } else {
            o.putNull("version");
        }
        o.put("sha256", m.sha256());
        ObjectNode values = o.putObject("metrics");
        for (Map.Entry<String, Double> e : m.values().entrySet()) {
            num(values, e.getKey(), e.getValue());
        }
    }

    private static void num(ObjectNode o, String k, Double v) {
        if (v == null) {
            return;
        }
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.put(k, String.valueOf(v));
        }
    }

    private static void finite(ObjectNode o, String k, Double v) {
        if (v != null && Double.isFinite(v)) {
            o.put(k, v);
        }
    }

    private static String truncate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "…";
    }
}
