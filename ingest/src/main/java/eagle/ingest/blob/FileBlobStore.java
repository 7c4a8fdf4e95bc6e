package eagle.ingest.blob;

import eagle.contracts.AnnotationEvent;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * {@link BlobStore} on a filesystem: bytes with digest {@code h} live at {@code root/h[0:2]/h}.
 * Writes go to a temporary file in the same folder and are moved into place atomically, so a reader
 * never sees a partial blob; reads re-hash the bytes.
 */
public final class FileBlobStore implements BlobStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public FileBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The file that holds (or would hold) the blob {@code sha256}. */
    public Path pathOf(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    @Override
    public URI put(String sha256, byte[] bytes) throws IOException {
        Path target = pathOf(sha256);
        String actual = AnnotationEvent.sha256Hex(bytes);
        if (!actual.equals(sha256)) {
            throw new IllegalArgumentException("bytes hash to " + actual + ", not " + sha256);
        }
        if (Files.exists(target)) {
            return target.toUri();
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), sha256.substring(0, 8), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } catch (FileAlreadyExistsException e) {
            // another writer stored the same content first: same bytes by construction
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target.toUri();
    }

    @Override
    public byte[] get(String sha256) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(pathOf(sha256));
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("no blob " + sha256 + " under " + root);
        }
        String actual = AnnotationEvent.sha256Hex(bytes);
        if (!actual.equals(sha256)) {
            throw new IOException("blob " + sha256 + " is corrupt: its bytes hash to " + actual);
        }
        return bytes;
    }

    @Override
    public boolean contains(String sha256) {
        return Files.exists(pathOf(sha256));
    }
}
