package eagle.evaluator.service;

import eagle.client.RegistryClient;
import eagle.client.Version;
import eagle.evaluator.gate.GateConfig;
import java.util.List;

/**
 * One judgement of {@link EvaluationPipeline} (docs/METHOD.md §7): scores the baseline, the version
 * and the base on the current suite version, then gates, reports and records it ({@link
 * EvaluationRecorder}), or records why the version could not be scored.
 */
final class VersionJudge {

    private final RegistryClient registry;
    private final HeldOutSuite suite;
    private final VersionScorer scorer;
    private final EvaluationRecorder recorder;

    VersionJudge(
            RegistryClient registry,
            HeldOutSuite suite,
            VersionScorer scorer,
            EvaluationRecorder recorder) {
        this.registry = registry;
        this.suite = suite;
        this.scorer = scorer;
        this.recorder = recorder;
    }

    /**
     * The evaluation recorded (null when refused) and the rejection when the version's artifact
     * could not be scored or was refused.
     */
    record Judged(EvaluationRecorder.Recorded recorded, Rejection rejection) {}

    /**
     * Scores the baseline, {@code v} and the base, then gates, reports and records, or records why
     * {@code v} could not be scored. With {@code sameSpecAsBaseline} (a candidate against
     * production), a {@code v} whose encoder spec differs from the baseline's is refused and
     * nothing is recorded.
     */
    Judged judge(
            String model,
            Version v,
            Integer baselineVersion,
            GateConfig gate,
            String purpose,
            String title,
            boolean sameSpecAsBaseline) {
        String suiteId = suite.id();
        Scored baseline =
                baselineVersion == null
                        ? null
                        : scorer.score(model, registry.version(model, baselineVersion), null, null);
        Scored cand =
                scorer.score(
                        model,
                        v,
                        sameSpecAsBaseline && baseline != null ? baseline.spec() : null,
                        "production v" + baselineVersion);
        if (cand.rejection() != null
                && cand.rejection().code() == Rejection.Code.ARCHITECTURE_CHANGED) {
            return new Judged(null, cand.rejection());
        }
        if (cand.rejection() != null) {
            return new Judged(
                    recorder.rejection(
                            model,
                            v.version(),
                            suiteId,
                            baselineVersion,
                            purpose,
                            cand.rejection()),
                    cand.rejection());
        }
        return new Judged(
                recorder.gate(
                        model,
                        suite.version(),
                        gate,
                        purpose,
                        title,
                        cand,
                        baseline,
                        scorer.scoreBase()),
                null);
    }

    /** The outcome with the suite-too-small notes of its evaluation ({@code SuitePrecision}). */
    static Outcome withPrecision(Outcome o, Judged j) {
        List<String> said =
                j.recorded().blessing().notes().stream()
                        .filter(n -> n.startsWith("suite too small"))
                        .toList();
        return said.isEmpty()
                ? o
                : new Outcome(
                        o.status(),
                        o.evaluationId(),
                        o.production(),
                        o.reason() + "; " + String.join("; ", said));
    }
}
