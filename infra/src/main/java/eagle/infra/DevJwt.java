package eagle.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * DEV-ONLY bearer tokens for local runs and tests: RS256 JWTs (RFC 7515 compact form, written by
 * hand so that no service's classes are needed) signed with the repository's dev key ({@code
 * registry/src/main/resources/dev-keys/privateKey.pem}, which everyone with the repository has),
 * issuer {@value #ISSUER}, roles in {@code groups}. Every service that checks tokens accepts them
 * in its {@code dev}, {@code test} and {@code local} profiles.
 */
public final class DevJwt {

    public static final String ISSUER = "https://eagle.dev/dev-only";

    /**
     * System property naming the private key file; else found by walking up from the working
     * directory.
     */
    public static final String KEY_PROPERTY = "eagle.dev-key";

    private static final String KEY_PATH = "registry/src/main/resources/dev-keys/privateKey.pem";

    private DevJwt() {}

    /**
     * A token for {@code subject} with {@code roles}, valid for two hours, signed with the dev key.
     */
    public static String mint(String subject, String... roles) {
        return sign(subject, roles, devKey());
    }

    /**
     * A well-formed token that no service accepts: signed with a fresh key that is not the dev key.
     */
    public static String mintWithForeignKey(String subject, String... roles) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return sign(subject, roles, gen.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an RSA key", e);
        }
    }

    /**
     * The dev private key file: {@value #KEY_PROPERTY}, else the first {@value #KEY_PATH} above the
     * working directory.
     */
    public static Path keyFile() {
        String configured = System.getProperty(KEY_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(KEY_PATH);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                KEY_PATH
                        + " not found above "
                        + Path.of("").toAbsolutePath()
                        + " (set -D"
                        + KEY_PROPERTY
                        + "=<file>)");
    }

    private static String sign(String subject, String[] roles, PrivateKey key) {
        long now = System.currentTimeMillis() / 1000;
        String groups = Stream.of(roles).map(r -> "\"" + r + "\"").collect(Collectors.joining(","));
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"eagle-dev\"}";
        String payload =
                "{\"iss\":\""
                        + ISSUER
                        + "\",\"sub\":\""
                        + subject
                        + "\",\"upn\":\""
                        + subject
                        + "\",\"groups\":["
                        + groups
                        + "],\"iat\":"
                        + now
                        + ",\"exp\":"
                        + (now + 7200)
                        + ",\"jti\":\""
                        + UUID.randomUUID()
                        + "\"}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput =
                b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
                        + "."
                        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a dev token", e);
        }
    }

    private static PrivateKey devKey() {
        Path file = keyFile();
        try {
            String pem =
                    Files.readString(file)
                            .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                            .replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(file + " is not a PKCS#8 RSA private key", e);
        }
    }
}
