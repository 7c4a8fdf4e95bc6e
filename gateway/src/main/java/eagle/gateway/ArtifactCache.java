package eagle.gateway;

import eagle.client.Sha256;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Artifacts on local disk, addressed by their sha256 (step two of docs/ARCHITECTURE.md, Serving:
 * content is immutable and named by its digest): {@code <cache-dir>/<sha256>.safetensors}.
 *
 * <p>Nothing is used unverified. A file is hashed before its first use and again whenever its size
 * or modification time differs from the stamp recorded at the last verification; a file whose
 * digest is wrong is refused (counted in {@code gateway_artifact_refused_total}), deleted, and
 * fetched again from the registry. A download goes to a temporary file while it is hashed and is
 * moved into place atomically only when its size and digest match, so a reader never sees a partial
 * file. Concurrent requests for one digest share one download.
 */
@ApplicationScoped
public class ArtifactCache {

    private static final Logger LOG = Logger.getLogger(ArtifactCache.class);

    /** Where the bytes of a digest come from when the cache lacks them. */
    @FunctionalInterface
    public interface Source {
        InputStream open();
    }

    private record Stamp(long size, FileTime modified, Object fileKey) {
        static Stamp of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime(), a.fileKey());
        }
    }

    private final Path dir;
    private final Map<String, Stamp> verified = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Counter refused;
    private final Counter fetched;

    public ArtifactCache(GatewayConfig config, MeterRegistry meters) {
        this.dir = config.cacheDir();
        this.refused = meters.counter("gateway.artifact.refused");
        this.fetched = meters.counter("gateway.artifact.fetched");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cache folder " + dir, e);
        }
    }

    /** Where the artifact with this digest lives (it may be absent or unverified). */
    public Path pathOf(String sha256) {
        requireDigest(sha256);
        return dir.resolve(sha256 + ".safetensors");
    }

    /**
     * The local file holding exactly {@code sizeBytes} bytes with digest {@code sha256}, verified
     * now (or unchanged since its last verification); fetched from {@code source} when absent or
     * refused.
     *
     * @throws GatewayException 502 {@code DIGEST_MISMATCH} when the source's bytes do not match
     *     either
     */
    public Path verified(String sha256, long sizeBytes, Source source) {
        Path file = pathOf(sha256);
        synchronized (locks.computeIfAbsent(sha256, k -> new Object())) {
            try {
                if (Files.exists(file)) {
                    Stamp stamp = Stamp.of(file);
                    if (stamp.equals(verified.get(sha256))) {
                        return file;
                    }
                    String actual = Sha256.of(file);
                    if (actual.equals(sha256) && stamp.size() == sizeBytes) {
                        verified.put(sha256, Stamp.of(file));
                        return file;
                    }
                    refused.increment();
                    verified.remove(sha256);
                    LOG.warnf(
                            "cached artifact %s refused: digest %s, size %d (expected size %d); fetching it again",
                            sha256, actual, stamp.size(), sizeBytes);
                    Files.delete(file);
                }
                fetch(sha256, sizeBytes, source, file);
                verified.put(sha256, Stamp.of(file));
                return file;
            } catch (IOException e) {
                throw new GatewayException(
                        503,
                        "CACHE_IO",
                        "cannot read or write the cached artifact " + file + ": " + e,
                        e);
            }
        }
    }

    /**
     * Whether the cached file of {@code sha256} is still the one verified last (same size,
     * modification time and file key): one {@code stat}, no hashing, no lock, so it may run on an
     * event loop. False when it was never verified, has changed or is gone; the caller then takes
     * {@link #verified}, which hashes it again.
     */
    public boolean unchangedSinceVerified(String sha256) {
        Stamp last = verified.get(sha256);
        if (last == null) {
            return false;
        }
        try {
            return last.equals(Stamp.of(dir.resolve(sha256 + ".safetensors")));
        } catch (IOException e) {
            return false;
        }
    }

    /** How many cached files have been refused since start. */
    public double refusals() {
        return refused.count();
    }

    /** How many artifacts have been fetched from the registry since start. */
    public double fetches() {
        return fetched.count();
    }

    private void fetch(String sha256, long sizeBytes, Source source, Path file) throws IOException {
        Path part = Files.createTempFile(dir, sha256 + ".", ".part");
        try {
            MessageDigest md = Sha256.digest();
            long size = 0;
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = source.open();
                    OutputStream out = Files.newOutputStream(part)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    md.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    size += n;
                }
            }
            String actual = Sha256.hex(md.digest());
            if (!actual.equals(sha256) || size != sizeBytes) {
                throw new GatewayException(
                        502,
                        "DIGEST_MISMATCH",
                        "the registry sent "
                                + size
                                + " bytes with sha256 "
                                + actual
                                + " for artifact "
                                + sha256
                                + " of "
                                + sizeBytes
                                + " bytes");
            }
            part.toFile().setReadOnly();
            try {
                Files.move(
                        part,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            }
            fetched.increment();
        } finally {
            Files.deleteIfExists(part);
        }
    }

    static void requireDigest(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new GatewayException(502, "BAD_DIGEST", "not a sha256 digest: " + sha256);
        }
    }
}
