package eagle.registry.service;

import eagle.registry.api.RecordEvaluationRequest;
import eagle.registry.api.SliceVerdict;
import eagle.registry.model.EncoderModel;
import eagle.registry.model.Evaluation;
import eagle.registry.model.ModelVersion;
import eagle.registry.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Evaluations of versions (docs/METHOD.md §6 and docs/ARCHITECTURE.md, Registry). A recorded
 * evaluation is append-only; its overall verdict must be "every slice passed" (fail closed: a
 * client cannot declare a pass over a failing slice).
 */
@ApplicationScoped
public class EvaluationService {

    @Inject Outbox outbox;

    @Transactional
    public Evaluation record(
            String modelName, int number, RecordEvaluationRequest req, String actor) {
        if (req == null) {
            throw RegistryException.badRequest(
                    "MISSING_BODY", "a JSON body describing the evaluation is required");
        }
        String suiteId = Names.text("suiteId", req.suiteId(), Names.MAX_SUITE_ID);
        String reportUrl = Names.optionalText("reportUrl", req.reportUrl(), Names.MAX_URL);
        Map<String, Object> metrics = metrics("metrics", req.metrics());
        if (metrics.isEmpty()) {
            throw RegistryException.badRequest(
                    "MISSING_FIELD", "metrics must name at least one metric");
        }
        if (req.slices() == null || req.slices().isEmpty()) {
            throw RegistryException.badRequest(
                    "MISSING_FIELD", "slices must hold at least one slice verdict");
        }
        List<Map<String, Object>> slices = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String firstFailed = null;
        for (int i = 0; i < req.slices().size(); i++) {
            SliceVerdict s = req.slices().get(i);
            String at = "slices[" + i + "]";
            if (s == null || s.slice() == null || s.slice().isBlank() || s.slice().length() > 128) {
                throw RegistryException.badRequest(
                        "INVALID_SLICE", at + ".slice must be a name of 1..128 characters");
            }
            if (!seen.add(s.slice())) {
                throw RegistryException.badRequest(
                        "INVALID_SLICE", "slice '" + s.slice() + "' appears twice");
            }
            if (s.passed() == null) {
                throw RegistryException.badRequest("INVALID_SLICE", at + ".passed is required");
            }
            if (!s.passed() && firstFailed == null) {
                firstFailed = s.slice();
            }
            Map<String, Object> slice = new LinkedHashMap<>();
            slice.put("slice", s.slice());
            slice.put("passed", s.passed());
            slice.put("metrics", metrics(at + ".metrics", s.metrics()));
            slice.put("reason", Names.optionalText(at + ".reason", s.reason(), Names.MAX_REASON));
            slices.add(slice);
        }
        boolean allPassed = firstFailed == null;
        if (req.passed() != null && req.passed() && !allPassed) {
            throw RegistryException.badRequest(
                    "INCONSISTENT_VERDICT",
                    "passed is true but slice '"
                            + firstFailed
                            + "' failed; a failing slice fails the evaluation");
        }
        if (req.passed() != null && !req.passed() && allPassed) {
            throw RegistryException.badRequest(
                    "INCONSISTENT_VERDICT",
                    "passed is false but every slice passed; record the failing slice");
        }

        EncoderModel m = VersionService.find(modelName);
        ModelVersion v = VersionService.find(m, number);
        if (!v.isReady()) {
            throw RegistryException.conflict(
                    "VERSION_NOT_READY",
                    "version "
                            + number
                            + " of '"
                            + m.name
                            + "' has no verified artifact; only a READY version can be evaluated");
        }
        if (req.baselineVersion() != null) {
            if (req.baselineVersion() == number) {
                throw RegistryException.unprocessable(
                        "INVALID_BASELINE", "a version cannot be its own baseline");
            }
            if (ModelVersion.of(m, req.baselineVersion()).isEmpty()) {
                throw RegistryException.unprocessable(
                        "UNKNOWN_BASELINE",
                        "baselineVersion "
                                + req.baselineVersion()
                                + " does not exist in model '"
                                + m.name
                                + "'");
            }
        }
        Evaluation e = new Evaluation();
        e.id = UUID.randomUUID();
        e.version = v;
        e.suiteId = suiteId;
        e.baselineNumber = req.baselineVersion();
        e.metrics = metrics;
        e.thresholds = req.thresholds() == null ? Map.of() : req.thresholds();
        e.slices = slices;
        e.passed = allPassed;
        e.reportUrl = reportUrl;
        e.createdBy = actor;
        e.createdAt = Now.micros();
        e.persist();
        outbox.evaluationRecorded(e);
        return e;
    }

    @Transactional
    public List<Evaluation> of(String modelName, int number) {
        return Evaluation.of(VersionService.find(VersionService.find(modelName), number));
    }

    @Transactional
    public Evaluation get(String modelName, int number, String id) {
        ModelVersion v = VersionService.find(VersionService.find(modelName), number);
        Evaluation e = Evaluation.findById(parseId(id));
        if (e == null || !e.version.id.equals(v.id)) {
            throw RegistryException.notFound(
                    "UNKNOWN_EVALUATION",
                    "version " + number + " of '" + modelName + "' has no evaluation " + id);
        }
        return e;
    }

    static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw RegistryException.badRequest(
                    "INVALID_EVALUATION_ID", "evaluation id '" + id + "' is not a UUID");
        }
    }

    private static Map<String, Object> metrics(String field, Map<String, Double> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (in == null) {
            return out;
        }
        for (Map.Entry<String, Double> m : in.entrySet()) {
            if (m.getKey().isBlank() || m.getKey().length() > 128) {
                throw RegistryException.badRequest(
                        "INVALID_METRIC",
                        field
                                + " has a metric name of "
                                + m.getKey().length()
                                + " characters; 1..128 allowed");
            }
            if (m.getValue() == null || !Double.isFinite(m.getValue())) {
                throw RegistryException.badRequest(
                        "INVALID_METRIC",
                        field
                                + "."
                                + m.getKey()
                                + " must be a finite number (a missing or NaN metric fails the gate, not the record)");
            }
            out.put(m.getKey(), m.getValue());
        }
        return out;
    }
}
