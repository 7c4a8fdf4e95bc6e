package eagle.ingest.blob;

import java.io.IOException;
import java.net.URI;

/**
 * Content-addressed storage of image bytes: the address is the lower-case hex SHA-256 of the bytes,
 * so storing the same bytes twice is a no-op and a reader can verify what it got.
 */
public interface BlobStore {

    /**
     * Stores {@code bytes} (idempotent) and returns their address.
     *
     * @param sha256 the hex SHA-256 of {@code bytes}, already computed by the caller
     * @return where a reader (the trainer) finds them
     */
    URI put(String sha256, byte[] bytes) throws IOException;

    /** The address {@link #put} returns for {@code sha256}, whether or not anything is stored. */
    URI addressOf(String sha256);

    /**
     * Reads the bytes stored under {@code sha256}, verifying the digest.
     *
     * @throws java.io.FileNotFoundException when nothing is stored there
     * @throws IOException when the stored bytes do not hash to {@code sha256}
     */
    byte[] get(String sha256) throws IOException;

    /** Whether bytes are stored under {@code sha256}. */
    boolean contains(String sha256);
}
