package eagle.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A safetensors file copied with new {@code __metadata__}: the header is rewritten (tensor entries
 * and their offsets unchanged, padded with spaces to a multiple of 8) and the data section copied
 * byte for byte, streaming, so a file of any size and dtype keeps its tensors exactly. Written to a
 * temporary file beside the target and moved into place when whole.
 */
final class SafetensorsCopy {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 1 << 20;

    private SafetensorsCopy() {}

    /**
     * Copies {@code source} to {@code target} with {@code metadata} as its metadata; returns the
     * sha256 of target.
     */
    static String withMetadata(
            Path source, Path target, Map<String, String> metadata, EncoderImport.Progress progress)
            throws IOException {
        Safetensors.Header parsed = Safetensors.readHeader(source); // validates the header
        byte[] headerBytes;
        try (InputStream in = Files.newInputStream(source)) {
            byte[] length = in.readNBytes(8);
            long n = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
            headerBytes = in.readNBytes((int) n);
        }
        ObjectNode header =
                (ObjectNode) JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        ObjectNode meta = JSON.createObjectNode();
        metadata.forEach(meta::put);
        header.remove("__metadata__");
        ObjectNode out = JSON.createObjectNode();
        out.set("__metadata__", meta);
        out.setAll(header);
        StringBuilder text = new StringBuilder(JSON.writeValueAsString(out));
        while (text.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
            text.append(' ');
        }
        byte[] newHeader = text.toString().getBytes(StandardCharsets.UTF_8);
        long total = Files.size(source) - parsed.dataStart();
        MessageDigest sha = sha256();
        Path temp =
                Files.createTempFile(target.toAbsolutePath().getParent(), ".register-", ".part");
        try {
            try (OutputStream os = new DigestOutputStream(Files.newOutputStream(temp), sha);
                    InputStream in = Files.newInputStream(source)) {
                os.write(
                        ByteBuffer.allocate(8)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .putLong(newHeader.length)
                                .array());
                os.write(newHeader);
                in.skipNBytes(parsed.dataStart());
                byte[] buffer = new byte[CHUNK];
                long done = 0;
                int read;
                while ((read = in.read(buffer)) > 0) {
                    os.write(buffer, 0, read);
                    done += read;
                    progress.bytes("writing " + target.getFileName(), done, total);
                }
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The sha256 of a file, hex. */
    static String sha256(Path file, EncoderImport.Progress progress) throws IOException {
        MessageDigest sha = sha256();
        long total = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[CHUNK];
            long done = 0;
            int read;
            while ((read = in.read(buffer)) > 0) {
                sha.update(buffer, 0, read);
                done += read;
                progress.bytes("hashing " + file.getFileName(), done, total);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
