package eagle.ingest.blob;

import eagle.contracts.AnnotationEvent;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * {@link BlobStore} on a filesystem: bytes with digest {@code h} live at {@code root/h[0:2]/h}.
 * Writes go to a temporary file in the same folder and are moved into place atomically, so a reader
 * never sees a partial blob; reads re-hash the bytes. Several writers (threads or processes) may
 * share a root: temporary names are random and created exclusively, and the same content lands
 * once.
 */
public final class FileBlobStore implements BlobStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    /**
     * Folders known to exist (made or seen by this store), so a put does not ask for each one
     * again.
     */
    private final Set<Path> folders = ConcurrentHashMap.newKeySet();

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
    public URI addressOf(String sha256) {
        return pathOf(sha256).toUri();
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
        Path folder = target.getParent();
        if (!folders.contains(folder)) {
            Files.createDirectories(folder);
            folders.add(folder);
        }
        Path tmp;
        try {
            tmp = writeNew(folder, sha256, bytes);
        } catch (NoSuchFileException e) {
            // the folder went away since it was made (someone cleaned up): make it again, once
            Files.createDirectories(folder);
            tmp = writeNew(folder, sha256, bytes);
        }
        boolean moved = false;
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } catch (AtomicMoveNotSupportedException e) {
            try {
                Files.move(tmp, target);
                moved = true;
            } catch (FileAlreadyExistsException stored) {
                // another writer stored the same content first: same bytes by construction
            }
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        return target.toUri();
    }

    /**
     * Writes {@code bytes} to a new temporary file beside the blob: one create-and-write, no
     * probing of names (a random name, created exclusively; a clash, practically never, takes the
     * next name).
     */
    private static Path writeNew(Path folder, String sha256, byte[] bytes) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp =
                    folder.resolve(
                            sha256.substring(0, 16)
                                    + "."
                                    + Long.toHexString(ThreadLocalRandom.current().nextLong())
                                    + ".tmp");
            try (FileChannel out =
                    FileChannel.open(
                            tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
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
