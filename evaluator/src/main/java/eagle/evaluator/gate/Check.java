package eagle.evaluator.gate;

/**
 * One evaluated threshold: what was compared, with which numbers, and the verdict.
 *
 * @param metric dotted metric path
 * @param slice slice it belongs to
 * @param kind which threshold
 * @param against reference for a change check, null otherwise
 * @param referenceVersion the reference's registry version, null otherwise
 * @param threshold the bound (lower, upper, absolute or relative), null for PRESENT
 * @param candidate the candidate's value (NaN when missing)
 * @param reference the reference's value for a change check (NaN when missing), null otherwise
 * @param observed the number compared with the bound: v, diff or rel (NaN when not computable); for
 *     a paired check the end of the difference's interval that was compared (the reason gives the
 *     difference and the whole interval)
 * @param passed the verdict
 * @param reason why it failed, or a short description of what passed
 */
public record Check(
        String metric,
        String slice,
        Kind kind,
        Reference against,
        Integer referenceVersion,
        Double threshold,
        double candidate,
        Double reference,
        double observed,
        boolean passed,
        String reason) {

    /** The kinds of check. */
    public enum Kind {
        /** the candidate has the metric and it is a finite number */
        PRESENT,
        /** v ≥ lower */
        VALUE_LOWER,
        /** v ≤ upper */
        VALUE_UPPER,
        /** diff = v_c − v_r against an absolute bound */
        ABSOLUTE_CHANGE,
        /** rel = (v_c − v_r)/v_r against a relative bound */
        RELATIVE_CHANGE,
        /**
         * the paired interval of diff against an absolute bound ({@link ChangeThreshold#paired()})
         */
        PAIRED_CHANGE,
        /** the configuration of the metric itself (unknown direction) */
        CONFIG
    }
}
