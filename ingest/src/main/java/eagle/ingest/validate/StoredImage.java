package eagle.ingest.validate;

/**
 * An image that was fetched, digest-verified, decoded and stored in the blob store.
 *
 * @param sha256 hex SHA-256 of its bytes (its blob address)
 * @param width pixels
 * @param height pixels
 * @param blobUri where the trainer reads it
 */
public record StoredImage(String sha256, int width, int height, String blobUri) {}
