package eagle.contracts;

import java.util.List;

/**
 * The trainer's announcement of a candidate it registered, on {@link Topics#TRAINER_CANDIDATES},
 * schema {@code schemas/candidate-registered.v1.json}. Key: the model name. Informational: the
 * registry's own {@code ARTIFACT_STORED} event (outbox, at least once) is what the evaluator acts
 * on; this one carries the round and its data manifest for dashboards and audits, and may be
 * missing when the broker was down.
 *
 * @param schemaVersion always {@link #SCHEMA_VERSION}
 * @param type always {@link #TYPE}
 * @param model the registry model
 * @param version the candidate's version in the registry
 * @param parentVersion the version it was trained from
 * @param sha256 the candidate's weights
 * @param round the trainer's round number
 * @param manifest the samples the round consumed, as {@link OffsetRange}s (the trainer's data
 *     manifest)
 * @param manifestSha256 SHA-256 of the manifest's canonical JSON
 * @param at when it was published (ISO-8601)
 */
public record CandidateEvent(
        int schemaVersion,
        String type,
        String model,
        int version,
        int parentVersion,
        String sha256,
        int round,
        List<OffsetRange> manifest,
        String manifestSha256,
        String at) {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "CANDIDATE_REGISTERED";
}
