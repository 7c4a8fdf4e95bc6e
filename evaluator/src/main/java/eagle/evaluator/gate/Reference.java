package eagle.evaluator.gate;

/** What a change threshold compares the candidate against. */
public enum Reference {
    /** the encoder {@code production} pointed at when the candidate arrived */
    BASELINE,
    /** the original base encoder (the root of the candidate's lineage) */
    BASE
}
