package eagle.contracts;

/**
 * The platform's Kafka topics (docs/ARCHITECTURE.md, Events). Names are versioned; a breaking
 * change of a value format gets a new topic, never an in-place change.
 */
public final class Topics {

    /**
     * Key: image id (UTF-8). Value: {@code AnnotationEvent} JSON; a null value (tombstone) retracts
     * the image.
     */
    public static final String ANNOTATIONS = "eagle.annotations.v1";

    /**
     * Key: image id. Value: {@code DeadLetter} JSON with a reason code, the error and the original
     * bytes.
     */
    public static final String ANNOTATIONS_DLQ = "eagle.annotations.dlq.v1";

    /**
     * Key: image id. Value: {@code SampleEvent} JSON (one validated image with all its masks);
     * tombstone = retracted.
     */
    public static final String SAMPLES = "eagle.samples.v1";

    /**
     * Key: image id. Value: {@code SampleEvent} JSON, as {@link #SAMPLES}, for the images ingest
     * holds out of training (a fixed share chosen by a hash of the image id); tombstone =
     * retracted. The trainer never reads it.
     */
    public static final String HELD_OUT_SAMPLES = "eagle.samples.heldout.v1";

    /**
     * Key: model name. Value: {@code RegistryEvent} JSON (version registered, evaluation completed,
     * alias moved).
     */
    public static final String REGISTRY_EVENTS = "eagle.registry.events.v1";

    /**
     * Key: model name. Value: {@code CandidateEvent} JSON (a candidate the trainer registered, with
     * its manifest).
     */
    public static final String TRAINER_CANDIDATES = "eagle.trainer.candidates.v1";

    private Topics() {}
}
