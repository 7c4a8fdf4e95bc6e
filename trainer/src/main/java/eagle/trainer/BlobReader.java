package eagle.trainer;

import eagle.contracts.AnnotationEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads images from the platform's content-addressed blob store, in which ingest stores the bytes
 * with digest {@code h} at {@code root/h[0:2]/h}. Every read re-hashes the bytes; a missing or
 * corrupt blob is a {@link Result} with a reason, never an exception.
 */
public final class BlobReader {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public BlobReader(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The bytes of a blob, or why they could not be read. Exactly one of the two is non-null. */
    public record Result(byte[] bytes, String problem) {
        public boolean ok() {
            return bytes != null;
        }
    }

    /** The file that holds the blob {@code sha256}. */
    public Path pathOf(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public Result read(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            return new Result(null, "image sha256 is not 64 lower-case hex digits: " + sha256);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(pathOf(sha256));
        } catch (NoSuchFileException e) {
            return new Result(null, "blob " + sha256 + " is missing under " + root);
        } catch (IOException e) {
            return new Result(null, "blob " + sha256 + " cannot be read: " + e);
        }
        String actual = AnnotationEvent.sha256Hex(bytes);
        if (!actual.equals(sha256)) {
            return new Result(null, "blob " + sha256 + " is corrupt: its bytes hash to " + actual);
        }
        return new Result(bytes, null);
    }
}
