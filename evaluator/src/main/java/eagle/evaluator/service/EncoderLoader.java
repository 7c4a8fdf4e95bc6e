package eagle.evaluator.service;

import ai.djl.Device;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Loads a candidate's artifact after checking, in order: the format, the sha256 of the bytes against the
 * registered digest, that it is a safetensors file, that its config (metadata) equals the expected
 * architecture, and that every tensor name and shape matches it. Each failure is a {@link Rejection}.
 */
public final class EncoderLoader {

    /** Either a loaded model (the caller closes it) or a rejection. */
    public record Outcome(ClipModel model, Rejection rejection) {
        public boolean loaded() {
            return model != null;
        }
    }

    /** The metadata key under which {@code ClipModel.save} writes the config. */
    static final String CONFIG_METADATA_KEY = "eagle.clip_config";

    private EncoderLoader() {
    }

    public static Outcome load(Path file, String format, String expectedSha256, ClipConfig expected, Device device) {
        if (format != null && !"safetensors".equalsIgnoreCase(format)) {
            return reject(Rejection.Code.UNSUPPORTED_FORMAT, "format '" + format + "' is not safetensors");
        }
        String actual;
        try {
            actual = sha256(file);
        } catch (IOException e) {
            return reject(Rejection.Code.UNREADABLE_ARTIFACT, "cannot read the artifact: " + e.getMessage());
        }
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            return reject(Rejection.Code.DIGEST_MISMATCH,
                    "artifact sha256 " + actual + " does not match the registered " + expectedSha256);
        }
        Safetensors.Header header;
        try {
            header = Safetensors.readHeader(file);
        } catch (IOException | RuntimeException e) {
            return reject(Rejection.Code.UNREADABLE_ARTIFACT, "not a safetensors file: " + e.getMessage());
        }
        String cfg = header.metadata() == null ? null : header.metadata().get(CONFIG_METADATA_KEY);
        if (cfg != null) {
            ClipConfig declared;
            try {
                declared = ClipConfig.fromJson(cfg);
            } catch (RuntimeException e) {
                return reject(Rejection.Code.WRONG_ARCHITECTURE, "unreadable config metadata: " + e.getMessage());
            }
            if (!declared.equals(expected)) {
                return reject(Rejection.Code.WRONG_ARCHITECTURE,
                        "config " + declared.toJson() + " differs from the base encoder's " + expected.toJson());
            }
        }
        try {
            return new Outcome(ClipModel.load(file, expected, device), null);
        } catch (IllegalArgumentException e) {
            return reject(Rejection.Code.WRONG_ARCHITECTURE, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return reject(Rejection.Code.UNREADABLE_ARTIFACT, String.valueOf(e.getMessage()));
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Outcome reject(Rejection.Code code, String reason) {
        return new Outcome(null, new Rejection(code, reason));
    }
}
