package eagle.evaluator.service;

import eagle.core.model.EncoderSpec;
import eagle.evaluator.gate.MetricSet;
import eagle.scenes.suite.SuiteResult;
import java.util.Map;

/**
 * The suite's result for one encoder, or why it could not be scored.
 *
 * @param version registry version, null for the base encoder
 * @param sha256 artifact digest
 * @param spec the encoder spec its artifact carries, null when unreadable
 * @param result the suite's result, null when rejected
 * @param rejection why it was not scored, null when scored
 */
public record Scored(
        Integer version, String sha256, EncoderSpec spec, SuiteResult result, Rejection rejection) {

    static Scored of(Integer version, String sha256, EncoderSpec spec, SuiteResult result) {
        return new Scored(version, sha256, spec, result, null);
    }

    static Scored rejected(Integer version, String sha256, EncoderSpec spec, Rejection rejection) {
        return new Scored(version, sha256, spec, null, rejection);
    }

    /** The values the gate compares (empty when not scored). */
    public MetricSet metrics() {
        return result == null
                ? new MetricSet(version, sha256, Map.of())
                : new MetricSet(version, sha256, result.metrics(), result.outcomes());
    }
}
