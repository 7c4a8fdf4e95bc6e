package eagle.evaluator.service;

import eagle.client.AliasTarget;
import eagle.client.Evaluation;
import eagle.client.RegistryClient;
import eagle.client.Version;
import eagle.evaluator.gate.GateConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The evaluator's work, framework-free (docs/METHOD.md §6–§7): evaluate a candidate (resolve the
 * baseline = what {@code production} points at; score candidate, baseline and base on the same
 * suite id; gate, report, record; promote when blessed; refuse a candidate whose encoder spec
 * differs from production's), re-check the production version (roll back when it now fails) and the
 * operator's rollback. One operation at a time.
 *
 * <p>Idempotent: a candidate that already has a candidate evaluation on this suite id against the
 * current baseline is not recorded again (a redelivered event or a restart re-runs it); if that
 * evaluation passed and production still points at its baseline, the promotion is completed. When
 * production moves between scoring and promotion (the guarded move is refused with ALIAS_CHANGED),
 * the candidate is scored again against the new baseline, at most twice.
 */
public final class EvaluationPipeline {

    private static final Logger LOG = Logger.getLogger(EvaluationPipeline.class);

    public static final String PURPOSE_CANDIDATE = "candidate";
    public static final String PURPOSE_RECHECK = "recheck";

    private final RegistryClient registry;
    private final HeldOutSuite suite;
    private final VersionJudge judge;
    private final ProductionAlias production;
    private final ReportWriter reports;
    private final GateConfig gate;
    private final EvaluationMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();

    public EvaluationPipeline(
            RegistryClient registry,
            HeldOutSuite suite,
            VersionScorer scorer,
            EvaluationRecorder recorder,
            ReportWriter reports,
            GateConfig gate) {
        this(registry, suite, scorer, recorder, reports, gate, EvaluationMetrics.unregistered());
    }

    public EvaluationPipeline(
            RegistryClient registry,
            HeldOutSuite suite,
            VersionScorer scorer,
            EvaluationRecorder recorder,
            ReportWriter reports,
            GateConfig gate,
            EvaluationMetrics metrics) {
        this.metrics = metrics;
        this.registry = registry;
        this.suite = suite;
        this.judge = new VersionJudge(registry, suite, scorer, recorder);
        this.production = new ProductionAlias(registry);
        this.reports = reports;
        this.gate = gate;
    }

    public HeldOutSuite suite() {
        return suite;
    }

    public ReportWriter reports() {
        return reports;
    }

    /** Evaluates a newly stored version and promotes it when blessed. */
    public Outcome evaluateCandidate(String model, int version) {
        return metrics.measure("candidate", () -> evaluateCandidateLocked(model, version));
    }

    private Outcome evaluateCandidateLocked(String model, int version) {
        lock.lock();
        try {
            Outcome o = evaluateOnce(model, version);
            // production moved while we scored: the blessing was against a stale baseline, so score
            // again
            // against the new one (a different evaluation, not a duplicate); bounded
            for (int attempt = 0;
                    attempt < 2
                            && o.status() == Outcome.Status.BLESSED_NOT_PROMOTED
                            && o.reason().contains("ALIAS_CHANGED");
                    attempt++) {
                o = evaluateOnce(model, version);
            }
            return o;
        } finally {
            lock.unlock();
        }
    }

    private Outcome evaluateOnce(String model, int version) {
        Version v = registry.version(model, version);
        if (!v.ready()) {
            return new Outcome(
                    Outcome.Status.SKIPPED, null, null, "version " + version + " is " + v.status());
        }
        String suiteId = suite.id();
        Optional<AliasTarget> prod = production.current(model);
        Integer baselineVersion = prod.map(AliasTarget::version).orElse(null);
        // the same evaluation = same version, suite id and baseline: never recorded twice
        Optional<Evaluation> earlier =
                registry.evaluations(model, version).stream()
                        .filter(
                                e ->
                                        suiteId.equals(e.suiteId())
                                                && PURPOSE_CANDIDATE.equals(e.purpose())
                                                && Objects.equals(
                                                        e.baselineVersion(), baselineVersion))
                        .findFirst();
        if (earlier.isPresent()) {
            return resume(model, version, earlier.get(), baselineVersion);
        }
        if (baselineVersion != null && baselineVersion == version) {
            return new Outcome(
                    Outcome.Status.SKIPPED,
                    null,
                    version,
                    "version " + version + " is already production");
        }
        VersionJudge.Judged j =
                judge.judge(model, v, baselineVersion, gate, PURPOSE_CANDIDATE, "Candidate", true);
        if (j.recorded() == null) {
            LOG.warnf("%s v%d refused: %s", model, version, j.rejection().reason());
            return new Outcome(
                    Outcome.Status.REFUSED,
                    null,
                    baselineVersion,
                    j.rejection().code() + ": " + j.rejection().reason());
        }
        if (j.rejection() != null) {
            LOG.infof("%s v%d rejected: %s", model, version, j.rejection());
            return new Outcome(
                    Outcome.Status.REJECTED,
                    j.recorded().evaluationId(),
                    baselineVersion,
                    j.rejection().code() + ": " + j.rejection().reason());
        }
        String id = j.recorded().evaluationId();
        if (!j.recorded().blessing().passed()) {
            String why = j.recorded().firstFailure("not blessed");
            LOG.infof("%s v%d not blessed: %s", model, version, why);
            return new Outcome(Outcome.Status.NOT_BLESSED, id, baselineVersion, why);
        }
        return VersionJudge.withPrecision(
                production.promote(model, version, baselineVersion, id), j);
    }

    /**
     * Builds the suite's next version when its source has one (the stream's split has grown);
     * between two evaluations, never during one.
     *
     * @return whether the suite id changed
     */
    public boolean refreshSuite() {
        lock.lock();
        try {
            return suite.refresh();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Re-runs the gate on the version {@code production} points at, against the baseline of its
     * promotion and the base, with {@code override} thresholds when given; records the result and
     * rolls {@code production} back to the previous blessed version when it fails.
     */
    public Outcome recheck(String model, GateConfig override) {
        return metrics.measure("recheck", () -> recheckLocked(model, override, false));
    }

    /**
     * {@link #recheck} under the configured gate, unless the production version already has an
     * evaluation on the current suite version (then {@code SKIPPED}): the re-check on a new suite
     * version ({@link SuiteRechecks}).
     */
    public Outcome recheckOnCurrentSuite(String model) {
        return metrics.measure("recheck", () -> recheckLocked(model, null, true));
    }

    private Outcome recheckLocked(String model, GateConfig override, boolean unlessEvaluated) {
        lock.lock();
        try {
            Optional<AliasTarget> prod = production.current(model);
            if (prod.isEmpty()) {
                return new Outcome(
                        Outcome.Status.SKIPPED,
                        null,
                        null,
                        "production points at no version of " + model);
            }
            int version = prod.get().version();
            List<Evaluation> evaluations = registry.evaluations(model, version);
            String suiteId = suite.id();
            if (unlessEvaluated
                    && evaluations.stream().anyMatch(e -> suiteId.equals(e.suiteId()))) {
                return new Outcome(
                        Outcome.Status.SKIPPED,
                        null,
                        version,
                        "production v" + version + " is already evaluated on suite " + suiteId);
            }
            Integer baselineVersion =
                    evaluations.stream()
                            .filter(e -> e.passed() && PURPOSE_CANDIDATE.equals(e.purpose()))
                            .reduce((a, b) -> b)
                            .map(Evaluation::baselineVersion)
                            .orElse(null);
            VersionJudge.Judged j =
                    judge.judge(
                            model,
                            registry.version(model, version),
                            baselineVersion,
                            override == null ? gate : override,
                            PURPOSE_RECHECK,
                            "Re-check",
                            false);
            String id = j.recorded().evaluationId();
            if (j.rejection() != null) {
                return production.rollBackFrom(
                        model,
                        version,
                        id,
                        "re-check of v"
                                + version
                                + " failed: "
                                + j.rejection().code()
                                + ": "
                                + j.rejection().reason());
            }
            if (j.recorded().blessing().passed()) {
                return VersionJudge.withPrecision(
                        new Outcome(
                                Outcome.Status.RECHECK_PASSED,
                                id,
                                version,
                                "production v" + version + " still passes on suite " + suite.id()),
                        j);
            }
            return production.rollBackFrom(
                    model,
                    version,
                    id,
                    "re-check of v"
                            + version
                            + " failed (evaluation "
                            + id
                            + "): "
                            + j.recorded().firstFailure("failed"));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Operator rollback: to the previous blessed entry of the alias history, or to {@code
     * toVersion}.
     */
    public Outcome operatorRollback(String model, String reason, Integer toVersion) {
        return metrics.measure("rollback", () -> operatorRollbackLocked(model, reason, toVersion));
    }

    private Outcome operatorRollbackLocked(String model, String reason, Integer toVersion) {
        lock.lock();
        try {
            return production.operatorRollback(model, reason, toVersion);
        } finally {
            lock.unlock();
        }
    }

    private Outcome resume(String model, int version, Evaluation e, Integer current) {
        if (e.passed() && Objects.equals(current, e.baselineVersion())) {
            Outcome o = production.promote(model, version, current, e.id());
            return new Outcome(
                    o.status(),
                    e.id(),
                    o.production(),
                    "completed an interrupted promotion: " + o.reason());
        }
        return new Outcome(
                Outcome.Status.ALREADY_EVALUATED,
                e.id(),
                current,
                "evaluation "
                        + e.id()
                        + " on suite "
                        + e.suiteId()
                        + " already recorded (passed="
                        + e.passed()
                        + ")");
    }
}
