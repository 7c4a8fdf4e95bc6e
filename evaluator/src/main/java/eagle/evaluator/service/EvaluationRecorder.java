package eagle.evaluator.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.client.RegistryClient;
import eagle.core.eval.Bootstrap;
import eagle.evaluator.gate.Blessing;
import eagle.evaluator.gate.BlessingJson;
import eagle.evaluator.gate.GateConfig;
import eagle.evaluator.gate.MetricThreshold;
import eagle.evaluator.gate.PromotionGate;
import eagle.evaluator.gate.SuitePrecision;
import eagle.evaluator.report.SuiteFacts;
import java.util.List;
import java.util.Map;

/**
 * The gate, report and record step (docs/METHOD.md §7), the same for a candidate and a re-check:
 * runs the gate on the scores, writes the report and records the evaluation in the registry; or
 * records a rejected artifact as a failing evaluation with one slice {@code artifact}.
 */
public final class EvaluationRecorder {

    /** Reasons in the registry are cut to this many characters. */
    static final int MAX_REASON = 2000;

    /** A recorded evaluation: its id and the blessing (null for a rejection). */
    public record Recorded(String evaluationId, Blessing blessing) {

        /** The first failing slice's reason, or {@code otherwise}. */
        public String firstFailure(String otherwise) {
            return blessing.slices().stream()
                    .filter(s -> !s.passed())
                    .map(s -> s.slice() + ": " + s.reason())
                    .findFirst()
                    .orElse(otherwise);
        }
    }

    /** The registry body of a rejected artifact ({@code RecordEvaluationRequest}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RejectionRequest(
            String suiteId,
            Integer baselineVersion,
            Map<String, Double> metrics,
            Map<String, Map<String, String>> thresholds,
            List<Slice> slices,
            boolean passed,
            String reportUrl) {}

    /** One slice verdict of {@link RejectionRequest}. */
    record Slice(String slice, boolean passed, String reason) {}

    private final RegistryClient registry;
    private final ReportWriter reports;
    private final ObjectMapper json;
    private final EvaluationMetrics metrics;
    private final SuitePrecision.Policy precision;

    public EvaluationRecorder(RegistryClient registry, ReportWriter reports, ObjectMapper json) {
        this(registry, reports, json, EvaluationMetrics.unregistered(), SuitePrecision.Policy.WARN);
    }

    /**
     * @param precision what a suite too small for the gate's margins does to the verdict ({@link
     *     SuitePrecision})
     */
    public EvaluationRecorder(
            RegistryClient registry,
            ReportWriter reports,
            ObjectMapper json,
            EvaluationMetrics metrics,
            SuitePrecision.Policy precision) {
        this.registry = registry;
        this.reports = reports;
        this.json = json;
        this.metrics = metrics;
        this.precision = precision;
    }

    /**
     * Gates {@code cand} against {@code baseline} (may be null) and {@code base}, all scored on
     * {@code suite}, says when the suite is too small for the gate's margins ({@link
     * SuitePrecision}), reports and records it; the record's {@code thresholds._gate.suite} holds
     * the suite's version (id, source, the stream's offsets) and size, {@code _gate.precision} each
     * assessed interval against its margin.
     */
    public Recorded gate(
            String model,
            SuiteVersion suite,
            GateConfig gate,
            String purpose,
            String title,
            Scored cand,
            Scored baseline,
            Scored base) {
        Map<String, Bootstrap.Interval> ci = cand.result() == null ? Map.of() : cand.result().ci();
        List<SuitePrecision.Assessment> assessed = SuitePrecision.assess(gate, ci);
        Blessing b =
                SuitePrecision.apply(
                        PromotionGate.evaluate(
                                gate,
                                cand.metrics(),
                                baseline == null ? null : baseline.metrics(),
                                base.metrics(),
                                cand.result() == null
                                        ? Bootstrap.Options.defaults()
                                        : cand.result().bootstrap()),
                        assessed,
                        precision);
        SuiteFacts facts =
                new SuiteFacts(
                        suite.id(),
                        suite.source(),
                        suite.detail(),
                        cand.result() == null ? Map.of() : SuiteFacts.sizes(cand.result().counts()),
                        assessed);
        String report = reports.gated(model, cand.version(), facts, b, cand, baseline, base, title);
        ObjectNode body = BlessingJson.request(b, suite.id(), purpose, report);
        withIntervals((ObjectNode) body.get("metrics"), gate, ci);
        ObjectNode g = (ObjectNode) body.get("thresholds").get("_gate");
        g.set("suite", json.valueToTree(facts.toRecord()));
        String id = registry.recordEvaluation(model, cand.version(), body);
        metrics.verdict(purpose, b.passed() ? "blessed" : "not_blessed");
        return new Recorded(id, b);
    }

    /**
     * Adds the candidate's bootstrap confidence interval of each gated metric (docs/METHOD.md §6)
     * to the record's metrics as {@code ci.<metric>.lower} and {@code ci.<metric>.upper}; an
     * interval that is absent or not finite is left out (the registry refuses non-finite numbers).
     */
    static void withIntervals(
            ObjectNode metrics, GateConfig gate, Map<String, Bootstrap.Interval> ci) {
        gate.thresholds().stream()
                .map(MetricThreshold::metric)
                .distinct()
                .forEach(
                        m -> {
                            Bootstrap.Interval iv = ci.get(m);
                            if (iv != null
                                    && Double.isFinite(iv.lower())
                                    && Double.isFinite(iv.upper())) {
                                metrics.put("ci." + m + ".lower", iv.lower());
                                metrics.put("ci." + m + ".upper", iv.upper());
                            }
                        });
    }

    /**
     * Records a rejected artifact: metric {@code artifact.loaded} = 0 and one failing slice with
     * the reason.
     */
    public Recorded rejection(
            String model,
            int version,
            String suiteId,
            Integer baselineVersion,
            String purpose,
            Rejection r) {
        String report = reports.rejected(model, version, suiteId, r);
        String reason = r.code() + ": " + r.reason();
        RejectionRequest body =
                new RejectionRequest(
                        suiteId,
                        baselineVersion,
                        Map.of("artifact.loaded", 0.0),
                        Map.of("_gate", Map.of("purpose", purpose, "rejection", r.code().name())),
                        List.of(
                                new Slice(
                                        "artifact",
                                        false,
                                        reason.length() > MAX_REASON
                                                ? reason.substring(0, MAX_REASON) + "…"
                                                : reason)),
                        false,
                        report);
        ObjectNode tree = json.valueToTree(body);
        Recorded recorded = new Recorded(registry.recordEvaluation(model, version, tree), null);
        metrics.verdict(purpose, "rejected");
        return recorded;
    }
}
