package eagle.evaluator.service;

/**
 * What happened to one request of {@link EvaluationPipeline}: the status, the evaluation recorded
 * (or found), where {@code production} points afterwards and why.
 */
public record Outcome(Status status, String evaluationId, Integer production, String reason) {

    /** The kinds of outcome. */
    public enum Status {
        PROMOTED,
        BLESSED_NOT_PROMOTED,
        NOT_BLESSED,
        REJECTED,
        /**
         * a candidate whose encoder spec differs from production's: nothing recorded, production
         * unchanged
         */
        REFUSED,
        ALREADY_EVALUATED,
        SKIPPED,
        RECHECK_PASSED,
        ROLLED_BACK,
        ROLLBACK_REFUSED
    }
}
