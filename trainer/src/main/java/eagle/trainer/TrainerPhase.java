package eagle.trainer;

/** What the trainer's engine is doing ({@code phase} of {@code GET /api/v1/status}). */
public enum TrainerPhase {
    /** loading the encoder and the durable state */
    STARTING,
    /** collecting new samples until the round trigger */
    WAITING,
    /** running a round's steps */
    TRAINING,
    /** Kafka is unreachable; the undurable intake was dropped and is read again once it is back */
    RECONNECTING,
    /**
     * the engine stopped on an error (health DOWN); a restart resumes, skipping a round that failed
     * on its data
     */
    FAILED
}
