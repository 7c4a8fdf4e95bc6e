package eagle.trainer;

/**
 * Why the trainer did not use a record, an image or an instance ("no single record may stop a
 * service"). Counted per reason in the status ({@code skippedByReason}) and in {@code
 * trainer_skipped_by_reason{reason}} ({@link TrainerMetrics}).
 */
public enum SkipReason {
    /**
     * the value is not a sample.v1 JSON, has no image or instances, or its key is not its image id
     */
    BAD_RECORD,
    /** the image blob is missing, unreadable or its bytes do not hash to its digest */
    BAD_BLOB,
    /** the image bytes do not decode */
    BAD_IMAGE,
    /** a mask does not decode or does not match the image size */
    BAD_MASK,
    /** an instance whose mask has no pixel */
    INSTANCE_EMPTY,
    /** an instance whose mask lies wholly outside CLIP's centre crop: it covers no patch */
    INSTANCE_CROPPED_AWAY,
    /**
     * an instance whose mask covers less than {@code round.min-patch-area} patches after the centre
     * crop
     */
    INSTANCE_TOO_SMALL,
    /**
     * an instance whose class name the parent encoder's tokenizer cannot prompt (unknown word, too
     * long)
     */
    CLASS_NOT_PROMPTABLE,
    /** an image left with no usable instance */
    NO_USABLE_INSTANCE,
    /**
     * a record of a round that failed on its data; the round was abandoned (see trainer/README.md)
     */
    FAILED_ROUND
}
