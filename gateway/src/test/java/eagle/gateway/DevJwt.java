package eagle.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;

/**
 * DEV-ONLY bearer tokens for the registry child process: RS256 JWTs signed with the registry's dev key pair
 * ({@code registry/src/main/resources/dev-keys/}, which every copy of the repository has), issuer
 * {@value #ISSUER}, roles in {@code groups}. Written here by hand (RFC 7515 compact form) so that no class of
 * the registry is on the gateway's classpath.
 */
final class DevJwt {

    static final String ISSUER = "https://eagle.dev/dev-only";

    private DevJwt() {
    }

    static Path privateKeyFile() {
        return RegistryProcess.registryModule().resolve("src/main/resources/dev-keys/privateKey.pem");
    }

    static String mint(String subject, String role) {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"eagle-dev\"}";
        String payload = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject
                + "\",\"groups\":[\"" + role + "\"],\"iat\":" + now + ",\"exp\":" + (now + 7200)
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(privateKey());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a dev token", e);
        }
    }

    private static PrivateKey privateKey() throws GeneralSecurityException {
        try {
            String pem = Files.readString(privateKeyFile())
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + privateKeyFile(), e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
