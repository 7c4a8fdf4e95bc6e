package eagle.registry.service;

import eagle.registry.RegistrySettings;
import eagle.registry.model.EncoderModel;
import eagle.registry.model.ModelVersion;
import eagle.registry.model.VersionStatus;
import eagle.registry.outbox.Outbox;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Artifact bytes in PostgreSQL, as fixed-size chunks of {@link #CHUNK_BYTES} in {@code
 * artifact_chunk}.
 *
 * <p>An upload is streamed: it is read {@link #CHUNK_BYTES} at a time, each chunk hashed (SHA-256)
 * and inserted, so at most one chunk is in the heap. Everything happens in one transaction that
 * also holds the version's row lock: if the body is cut off, longer or shorter than the declared
 * size, or its digest differs from the declared one, the transaction rolls back and no chunk
 * survives; only a whole, verified artifact turns the version READY (and writes the ARTIFACT_STORED
 * event) in the same commit.
 *
 * <p>A download reads the chunks that overlap the requested byte range, one at a time.
 */
@ApplicationScoped
public class ArtifactStore {

    /** Chunk size: bytes [seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES) live in chunk {@code seq}. */
    public static final int CHUNK_BYTES = 1 << 20;

    @Inject EntityManager em;

    @Inject AgroalDataSource dataSource;

    @Inject Outbox outbox;

    @Inject MeterRegistry meters;

    @Inject RegistrySettings settings;

    /** What a download needs to know about a READY artifact. */
    public record StoredArtifact(
            String model, int version, long versionId, String sha256, long sizeBytes) {}

    /**
     * Stores the artifact of a PENDING_ARTIFACT version from {@code body}, verifying size and
     * digest.
     *
     * @param contentLength the request's Content-Length, or null for a chunked upload
     * @return the version, now READY
     * @throws RegistryException 404 unknown model/version, 409 already stored, 422 size or digest
     *     mismatch, 400 body cut off
     */
    public ModelVersion store(
            String modelName, int number, Long contentLength, InputStream body, String actor) {
        try {
            ModelVersion v =
                    QuarkusTransaction.requiringNew()
                            .timeout(settings.artifact().uploadTimeoutSeconds())
                            .call(
                                    () ->
                                            storeInTransaction(
                                                    modelName, number, contentLength, body, actor));
            meters.counter("registry.artifact.uploads", "outcome", "stored").increment();
            return v;
        } catch (RegistryException e) {
            meters.counter("registry.artifact.uploads", "outcome", e.code()).increment();
            throw e;
        } catch (RuntimeException e) {
            meters.counter("registry.artifact.uploads", "outcome", "FAILED").increment();
            throw e;
        }
    }

    private ModelVersion storeInTransaction(
            String modelName, int number, Long contentLength, InputStream body, String actor) {
        EncoderModel m = VersionService.find(modelName);
        ModelVersion v =
                em.createQuery(
                                "from ModelVersion v where v.model = ?1 and v.number = ?2",
                                ModelVersion.class)
                        .setParameter(1, m)
                        .setParameter(2, number)
                        .setLockMode(
                                LockModeType.PESSIMISTIC_WRITE) // one upload per version at a time
                        .getResultStream()
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        RegistryException.notFound(
                                                "UNKNOWN_VERSION",
                                                "model '" + m.name + "' has no version " + number));
        if (v.isReady()) {
            throw RegistryException.conflict(
                    "ARTIFACT_ALREADY_STORED",
                    "version "
                            + number
                            + " of '"
                            + m.name
                            + "' already has its artifact (sha256 "
                            + v.sha256
                            + "); versions are immutable");
        }
        if (contentLength != null && contentLength != v.sizeBytes) {
            throw RegistryException.unprocessable(
                    "SIZE_MISMATCH",
                    "Content-Length "
                            + contentLength
                            + " differs from the declared sizeBytes "
                            + v.sizeBytes);
        }
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[CHUNK_BYTES];
        long total = 0;
        int seq = 0;
        while (true) {
            int n = readChunk(body, buffer, total, v.sizeBytes);
            if (n == 0) {
                break;
            }
            total += n;
            if (total > v.sizeBytes) {
                throw RegistryException.unprocessable(
                        "SIZE_MISMATCH",
                        "the body is longer than the declared sizeBytes " + v.sizeBytes);
            }
            sha256.update(buffer, 0, n);
            em.createNativeQuery(
                            "insert into artifact_chunk (version_id, seq, data) values (?1, ?2, ?3)")
                    .setParameter(1, v.id)
                    .setParameter(2, seq++)
                    .setParameter(3, n == buffer.length ? buffer : Arrays.copyOf(buffer, n))
                    .executeUpdate();
            if (n < buffer.length) {
                break;
            }
        }
        if (total != v.sizeBytes) {
            throw RegistryException.unprocessable(
                    "SIZE_MISMATCH",
                    "the body has "
                            + total
                            + " bytes; the version declares sizeBytes "
                            + v.sizeBytes);
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(v.sha256)) {
            throw RegistryException.unprocessable(
                    "DIGEST_MISMATCH",
                    "the body's sha256 is "
                            + actual
                            + "; the version declares "
                            + v.sha256
                            + "; nothing was stored");
        }
        v.status = VersionStatus.READY;
        v.artifactStoredAt = Now.micros();
        outbox.artifactStored(v, actor);
        return v;
    }

    /**
     * Fills {@code buffer} as far as the stream allows; 0 at a clean end. A broken stream is a 400.
     */
    private static int readChunk(InputStream body, byte[] buffer, long readSoFar, long declared) {
        try {
            return body.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw RegistryException.badRequest(
                    "UPLOAD_INCOMPLETE",
                    "the upload broke off after about "
                            + readSoFar
                            + " of "
                            + declared
                            + " bytes ("
                            + e.getMessage()
                            + "); nothing was stored");
        }
    }

    /** The READY artifact of a version; 409 while it is not stored yet. */
    @Transactional
    public StoredArtifact stored(String modelName, int number) {
        EncoderModel m = VersionService.find(modelName);
        ModelVersion v = VersionService.find(m, number);
        if (!v.isReady()) {
            throw RegistryException.conflict(
                    "ARTIFACT_NOT_READY",
                    "version "
                            + number
                            + " of '"
                            + m.name
                            + "' has no verified artifact yet (status "
                            + v.status
                            + ")");
        }
        return new StoredArtifact(m.name, v.number, v.id, v.sha256, v.sizeBytes);
    }

    /**
     * Writes bytes [first, last] (inclusive) of a stored artifact to {@code out}, reading one chunk
     * at a time.
     */
    public void write(StoredArtifact artifact, long first, long last, OutputStream out) {
        if (first > last) {
            return;
        }
        int firstChunk = (int) (first / CHUNK_BYTES);
        int lastChunk = (int) (last / CHUNK_BYTES);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select data from artifact_chunk where version_id = ? and seq = ?")) {
            for (int seq = firstChunk; seq <= lastChunk; seq++) {
                ps.setLong(1, artifact.versionId());
                ps.setInt(2, seq);
                byte[] data;
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException(
                                "chunk "
                                        + seq
                                        + " of READY version "
                                        + artifact.version()
                                        + " of '"
                                        + artifact.model()
                                        + "' is missing");
                    }
                    data = rs.getBytes(1);
                }
                long chunkStart = (long) seq * CHUNK_BYTES;
                int from = (int) Math.max(0, first - chunkStart);
                int to = (int) Math.min(data.length, last - chunkStart + 1);
                out.write(data, from, to - from);
            }
            out.flush();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "reading the artifact of version "
                            + artifact.version()
                            + " of '"
                            + artifact.model()
                            + "' failed",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("the client stopped reading", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
