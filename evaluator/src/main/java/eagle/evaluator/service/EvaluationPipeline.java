package eagle.evaluator.service;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.text.Tokenizer;
import eagle.evaluator.gate.Blessing;
import eagle.evaluator.gate.BlessingJson;
import eagle.evaluator.gate.GateConfig;
import eagle.evaluator.gate.MetricSet;
import eagle.evaluator.gate.PromotionGate;
import eagle.evaluator.registry.RegistryClient;
import eagle.evaluator.registry.RegistryException;
import eagle.evaluator.report.EvaluationReport;
import eagle.scenes.suite.SuiteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The evaluator's work, framework-free: evaluate a candidate (resolve baseline = what {@code production} points at,
 * and the base encoder; score all three on the same suite id; gate; report; record; promote when blessed),
 * re-check the production version (rollback when it now fails) and operator rollback. One operation at a time.
 *
 * <p>Idempotent: a candidate that already has a candidate evaluation on this suite id against the current
 * baseline is not recorded again (a redelivered event or a restart re-runs it); if that evaluation passed and
 * production still points at its baseline, the promotion is completed. When production moves between scoring
 * and promotion (the guarded move is refused with ALIAS_CHANGED), the candidate is scored again against the new
 * baseline, at most twice.
 */
public final class EvaluationPipeline {

    private static final Logger LOG = Logger.getLogger(EvaluationPipeline.class);

    public static final String PRODUCTION = "production";
    public static final String PURPOSE_CANDIDATE = "candidate";
    public static final String PURPOSE_RECHECK = "recheck";

    /** What happened to one request. */
    public enum Status { PROMOTED, BLESSED_NOT_PROMOTED, NOT_BLESSED, REJECTED, ALREADY_EVALUATED, SKIPPED,
        RECHECK_PASSED, ROLLED_BACK, ROLLBACK_REFUSED }

    /** The outcome: status, the evaluation recorded (or found), where production points afterwards and why. */
    public record Outcome(Status status, String evaluationId, Integer production, String reason) {
    }

    /** The original base encoder: its weights file, config and tokenizer. */
    public record BaseEncoder(Path file, String sha256, ClipConfig config, Tokenizer tokenizer) {
    }

    private final RegistryClient registry;
    private final HeldOutSuite suite;
    private final BaseEncoder base;
    private final GateConfig gate;
    private final Path artifactsDir;
    private final Path reportsDir;
    private final String publicUrl;
    private final Device device;
    private final ReentrantLock lock = new ReentrantLock();

    public EvaluationPipeline(RegistryClient registry, HeldOutSuite suite, BaseEncoder base, GateConfig gate,
                              Path workDir, String publicUrl, Device device) {
        this.registry = registry;
        this.suite = suite;
        this.base = base;
        this.gate = gate;
        this.artifactsDir = workDir.resolve("artifacts");
        this.reportsDir = workDir.resolve("reports");
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.device = device;
    }

    public HeldOutSuite suite() {
        return suite;
    }

    public Path reportsDir() {
        return reportsDir;
    }

    /** Evaluates a newly stored version and promotes it when blessed. */
    public Outcome evaluateCandidate(String model, int version) {
        lock.lock();
        try {
            Outcome o = evaluateOnce(model, version);
            // production moved while we scored: the blessing was against a stale baseline, so score again
            // against the new one (a different evaluation, not a duplicate); bounded
            for (int attempt = 0; attempt < 2 && o.status() == Status.BLESSED_NOT_PROMOTED
                    && o.reason().contains("ALIAS_CHANGED"); attempt++) {
                o = evaluateOnce(model, version);
            }
            return o;
        } finally {
            lock.unlock();
        }
    }

    private Outcome evaluateOnce(String model, int version) {
        RegistryClient.Version v = registry.version(model, version);
        if (!v.ready()) {
            return new Outcome(Status.SKIPPED, null, null, "version " + version + " is " + v.status());
        }
        String suiteId = suite.id();
        Optional<RegistryClient.AliasTarget> prod = registry.alias(model, PRODUCTION);
        Integer current = prod.map(RegistryClient.AliasTarget::version).orElse(null);
        // the same evaluation = same version, suite id and baseline: never recorded twice
        Optional<RegistryClient.Evaluation> earlier = registry.evaluations(model, version).stream()
                .filter(e -> suiteId.equals(e.suiteId()) && PURPOSE_CANDIDATE.equals(e.purpose())
                        && java.util.Objects.equals(e.baselineVersion(), current))
                .findFirst();
        if (earlier.isPresent()) {
            return resume(model, version, earlier.get(), prod.orElse(null));
        }
        if (prod.isPresent() && prod.get().version() == version) {
            return new Outcome(Status.SKIPPED, null, version, "version " + version + " is already production");
        }
        Integer baselineVersion = current;
        Scored cand = score(model, v);
        if (cand.rejection() != null) {
            String id = recordRejection(model, version, suiteId, baselineVersion, cand.rejection());
            LOG.infof("%s v%d rejected: %s", model, version, cand.rejection());
            return new Outcome(Status.REJECTED, id, baselineVersion,
                    cand.rejection().code() + ": " + cand.rejection().reason());
        }
        Scored baseline = baselineVersion == null ? null : score(model, registry.version(model, baselineVersion));
        Scored baseScore = scoreBase();
        Blessing b = PromotionGate.evaluate(gate, metrics(version, v.sha256(), cand),
                baseline == null ? null : metrics(baselineVersion, baseline.sha256(), baseline),
                metrics(null, base.sha256(), baseScore));
        String report = writeReport(model, version, suiteId, b, cand, baseline, baseScore, null, "Candidate");
        String id = registry.recordEvaluation(model, version,
                BlessingJson.request(b, suiteId, PURPOSE_CANDIDATE, report));
        if (!b.passed()) {
            String why = b.slices().stream().filter(s -> !s.passed()).map(s -> s.slice() + ": " + s.reason())
                    .findFirst().orElse("not blessed");
            LOG.infof("%s v%d not blessed: %s", model, version, why);
            return new Outcome(Status.NOT_BLESSED, id, baselineVersion, why);
        }
        return promote(model, version, baselineVersion, id);
    }

    /**
     * Re-runs the gate on the version {@code production} points at, against the baseline of its promotion and the
     * base, with {@code override} thresholds when given; records the result and rolls {@code production} back to
     * the previous blessed version when it fails.
     */
    public Outcome recheck(String model, GateConfig override) {
        lock.lock();
        try {
            Optional<RegistryClient.AliasTarget> prod = registry.alias(model, PRODUCTION);
            if (prod.isEmpty()) {
                return new Outcome(Status.SKIPPED, null, null, "production points at no version of " + model);
            }
            int version = prod.get().version();
            RegistryClient.Version v = registry.version(model, version);
            Integer baselineVersion = registry.evaluations(model, version).stream()
                    .filter(e -> e.passed() && PURPOSE_CANDIDATE.equals(e.purpose()))
                    .reduce((a, b) -> b).map(RegistryClient.Evaluation::baselineVersion).orElse(null);
            String suiteId = suite.id();
            Scored cand = score(model, v);
            if (cand.rejection() != null) {
                String id = recordRejection(model, version, suiteId, baselineVersion, cand.rejection());
                return rollback(model, version, id, "re-check of v" + version + " failed: " + cand.rejection().code()
                        + ": " + cand.rejection().reason());
            }
            Scored baseline = baselineVersion == null ? null : score(model, registry.version(model, baselineVersion));
            Scored baseScore = scoreBase();
            Blessing b = PromotionGate.evaluate(override == null ? gate : override,
                    metrics(version, v.sha256(), cand),
                    baseline == null ? null : metrics(baselineVersion, baseline.sha256(), baseline),
                    metrics(null, base.sha256(), baseScore));
            String report = writeReport(model, version, suiteId, b, cand, baseline, baseScore, null, "Re-check");
            String id = registry.recordEvaluation(model, version,
                    BlessingJson.request(b, suiteId, PURPOSE_RECHECK, report));
            if (b.passed()) {
                return new Outcome(Status.RECHECK_PASSED, id, version, "production v" + version + " still passes");
            }
            String why = b.slices().stream().filter(s -> !s.passed()).map(s -> s.slice() + ": " + s.reason())
                    .findFirst().orElse("failed");
            return rollback(model, version, id, "re-check of v" + version + " failed (evaluation " + id + "): " + why);
        } finally {
            lock.unlock();
        }
    }

    /** Operator rollback: to the previous blessed entry of the alias history, or to {@code toVersion}. */
    public Outcome operatorRollback(String model, String reason, Integer toVersion) {
        lock.lock();
        try {
            RegistryClient.AliasTarget t = registry.rollback(model, PRODUCTION, reason, toVersion);
            return new Outcome(Status.ROLLED_BACK, null, t.version(), reason);
        } finally {
            lock.unlock();
        }
    }

    private Outcome rollback(String model, int version, String evaluationId, String reason) {
        try {
            RegistryClient.AliasTarget t = registry.rollback(model, PRODUCTION, reason, null);
            LOG.warnf("%s: production rolled back from v%d to v%d: %s", model, version, t.version(), reason);
            return new Outcome(Status.ROLLED_BACK, evaluationId, t.version(), reason);
        } catch (RegistryException e) {
            LOG.errorf("%s: re-check of v%d failed but rollback was refused: %s", model, version, e.getMessage());
            return new Outcome(Status.ROLLBACK_REFUSED, evaluationId, version, reason + "; rollback refused: "
                    + e.getMessage());
        }
    }

    private Outcome resume(String model, int version, RegistryClient.Evaluation e, RegistryClient.AliasTarget prod) {
        Integer current = prod == null ? null : prod.version();
        if (e.passed() && java.util.Objects.equals(current, e.baselineVersion())) {
            Outcome o = promote(model, version, current, e.id());
            return new Outcome(o.status(), e.id(), o.production(), "completed an interrupted promotion: " + o.reason());
        }
        return new Outcome(Status.ALREADY_EVALUATED, e.id(), current,
                "evaluation " + e.id() + " on suite " + e.suiteId() + " already recorded (passed=" + e.passed() + ")");
    }

    private Outcome promote(String model, int version, Integer baselineVersion, String evaluationId) {
        try {
            RegistryClient.AliasTarget t = registry.moveAlias(model, PRODUCTION, version, baselineVersion,
                    "blessed by evaluation " + evaluationId + " against "
                            + (baselineVersion == null ? "no baseline" : "baseline v" + baselineVersion),
                    evaluationId);
            LOG.infof("%s: production moved to v%d", model, t.version());
            return new Outcome(Status.PROMOTED, evaluationId, t.version(), "blessed");
        } catch (RegistryException e) {
            return new Outcome(Status.BLESSED_NOT_PROMOTED, evaluationId, baselineVersion,
                    "blessed, but the move was refused: " + e.getMessage());
        }
    }

    /** Scores of one encoder (or why it could not be scored). */
    private record Scored(String sha256, SuiteResult result, Rejection rejection) {
    }

    private Scored score(String model, RegistryClient.Version v) {
        Optional<SuiteResult> hit = suite.cached(v.sha256());
        if (hit.isPresent()) {
            return new Scored(v.sha256(), hit.get(), null);
        }
        Path file = artifactsDir.resolve(v.sha256().toLowerCase() + ".safetensors");
        try {
            Files.createDirectories(artifactsDir);
            registry.download(model, v.version(), file);
        } catch (RuntimeException | IOException e) {
            return new Scored(v.sha256(), null, new Rejection(Rejection.Code.DOWNLOAD_FAILED, String.valueOf(e.getMessage())));
        }
        try {
            EncoderLoader.Outcome o = EncoderLoader.load(file, v.format(), v.sha256(), base.config(), device);
            if (!o.loaded()) {
                return new Scored(v.sha256(), null, o.rejection());
            }
            try {
                return new Scored(v.sha256(), suite.score(v.sha256(), o::model, base.tokenizer()), null);
            } catch (RuntimeException e) {
                LOG.errorf(e, "suite failed on %s v%d", model, v.version());
                return new Scored(v.sha256(), null, new Rejection(Rejection.Code.SUITE_FAILED, String.valueOf(e)));
            }
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("cannot delete %s: %s", file, e.getMessage());
            }
        }
    }

    private Scored scoreBase() {
        SuiteResult r = suite.score(base.sha256(), () -> {
            try {
                return ClipModel.load(base.file(), base.config(), device);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the base encoder " + base.file(), e);
            }
        }, base.tokenizer());
        return new Scored(base.sha256(), r, null);
    }

    private static MetricSet metrics(Integer version, String sha256, Scored s) {
        return new MetricSet(version, sha256, s.result() == null ? Map.of() : s.result().metrics());
    }

    private String recordRejection(String model, int version, String suiteId, Integer baselineVersion, Rejection r) {
        String report = writeReport(model, version, suiteId, null, null, null, null, r.code() + ": " + r.reason(),
                "Rejected candidate");
        ObjectMapper json = new ObjectMapper();
        ObjectNode body = json.createObjectNode();
        body.put("suiteId", suiteId);
        if (baselineVersion != null) {
            body.put("baselineVersion", baselineVersion);
        }
        body.putObject("metrics").put("artifact.loaded", 0.0);
        ObjectNode g = body.putObject("thresholds").putObject("_gate");
        g.put("purpose", PURPOSE_CANDIDATE);
        g.put("rejection", r.code().name());
        ObjectNode slice = body.putArray("slices").addObject();
        slice.put("slice", "artifact");
        slice.put("passed", false);
        String reason = r.code() + ": " + r.reason();
        slice.put("reason", reason.length() > 2000 ? reason.substring(0, 2000) + "…" : reason);
        body.put("passed", false);
        body.put("reportUrl", report);
        return registry.recordEvaluation(model, version, body);
    }

    private String writeReport(String model, int version, String suiteId, Blessing b, Scored cand, Scored baseline,
                               Scored baseScore, String rejection, String title) {
        String name = model + "-v" + version + "-" + suiteId + "-" + System.currentTimeMillis() + ".html";
        String html = EvaluationReport.html(new EvaluationReport.Input(model, version, suiteId, b,
                cand == null ? null : cand.result(), baseline == null ? null : baseline.result(),
                baseScore == null ? null : baseScore.result(), rejection, title));
        try {
            Files.createDirectories(reportsDir);
            Files.writeString(reportsDir.resolve(name), html);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + name, e);
        }
        return publicUrl + "/reports/" + name;
    }

    /** Names of the reports written so far. */
    public List<String> reports() {
        try (var s = Files.list(reportsDir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
