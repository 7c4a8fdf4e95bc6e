package eagle.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A version as the registry shows it ({@code VersionView}); {@code raw} is the registry's whole
 * JSON object (for fields a caller passes on verbatim).
 *
 * @param architecture the version's architecture JSON (the encoder's spec), never null (missing
 *     node)
 * @param status {@code PENDING_UPLOAD} until the artifact is stored and verified, then {@code
 *     READY}
 */
public record Version(
        String model,
        int version,
        Integer parentVersion,
        String sha256,
        long sizeBytes,
        String format,
        JsonNode architecture,
        String status,
        String createdAt,
        JsonNode raw) {

    /** The registry's status of a version whose artifact is whole and verified. */
    public static final String READY = "READY";

    /** Whether the artifact is stored and verified (only then can it be downloaded). */
    public boolean ready() {
        return READY.equals(status);
    }
}
