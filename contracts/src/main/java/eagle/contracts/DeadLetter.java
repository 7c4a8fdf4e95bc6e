package eagle.contracts;

import java.util.Base64;

/**
 * A rejected annotation on {@link Topics#ANNOTATIONS_DLQ}, schema {@code
 * schemas/dead-letter.v1.json}. Key: the original record's key (image id; may be null).
 *
 * @param schemaVersion always {@link #SCHEMA_VERSION}
 * @param reason why it was rejected
 * @param error a human-readable explanation
 * @param imageId the original key, null when absent
 * @param topic where the original record was read
 * @param partition its partition
 * @param offset its offset
 * @param originalValue the original value bytes, base64
 * @param rejectedAt when ingest rejected it (ISO-8601)
 */
public record DeadLetter(
        int schemaVersion,
        Reason reason,
        String error,
        String imageId,
        String topic,
        int partition,
        long offset,
        String originalValue,
        String rejectedAt) {

    public static final int SCHEMA_VERSION = 1;

    /** Reason codes; names are the wire values. */
    public enum Reason {
        /** not JSON, or not a JSON object */
        UNPARSABLE,
        /**
         * JSON that violates annotation.v1 (missing/ill-typed field, key ≠ imageId, wrong
         * schemaVersion)
         */
        SCHEMA,
        /**
         * className longer than 256 Unicode code points, or holding a control character (Cc), a
         * format character (Cf) other than U+200C/U+200D, or an unpaired surrogate
         */
        CLASS_NAME_INVALID,
        /** className outside the configured taxonomy (only when the taxonomy is closed) */
        UNKNOWN_CLASS,
        /** RLE counts or polygons that do not decode */
        MASK_UNDECODABLE,
        /** mask height × width differs from the image's */
        MASK_SIZE_MISMATCH,
        /** mask with no foreground pixel */
        EMPTY_MASK,
        /** the image URI could not be read */
        IMAGE_UNREACHABLE,
        /**
         * the image bytes do not hash to the declared sha256, or the image id is bound to other
         * bytes
         */
        DIGEST_MISMATCH,
        /** the bytes are not a PNG/JPEG image javax.imageio can decode */
        IMAGE_UNDECODABLE,
        /** image bytes, inline bytes, or pixel count above the configured limits */
        TOO_LARGE,
        /** same image id + instance id already accepted with identical content */
        DUPLICATE
    }

    /** The original value bytes (null for a tombstone). */
    public byte[] originalBytes() {
        return originalValue == null ? null : Base64.getDecoder().decode(originalValue);
    }
}
