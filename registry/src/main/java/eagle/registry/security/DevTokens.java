package eagle.registry.security;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * DEV-ONLY: mints bearer tokens signed with the key pair under {@code dev-keys/} (which every copy
 * of this repository has, so these tokens prove nothing outside a laptop or a test). Production
 * verifies tokens issued elsewhere against the public key it is configured with.
 *
 * <p>Command line: {@code DevTokens <subject> <role>[,<role>...] [ttl-seconds]} prints one token,
 * e.g. {@code DevTokens alice registry.read,registry.register}.
 */
public final class DevTokens {

    /** Issuer the dev/test profiles accept ({@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "https://eagle.dev/dev-only";

    private static final String PRIVATE_KEY = "dev-keys/privateKey.pem";

    private DevTokens() {}

    /** A token for {@code subject} with {@code roles}, valid for {@code ttl}. */
    public static String mint(String subject, Set<String> roles, Duration ttl) {
        for (String role : roles) {
            if (!Arrays.asList(Roles.ALL).contains(role)) {
                throw new IllegalArgumentException(
                        "unknown role '" + role + "'; roles are " + Arrays.toString(Roles.ALL));
            }
        }
        return Jwt.issuer(ISSUER)
                .subject(subject)
                .upn(subject)
                .groups(roles)
                .expiresIn(ttl)
                .jws()
                .keyId("eagle-dev")
                .sign(privateKey());
    }

    /** A one-hour token for {@code subject} with {@code roles}. */
    public static String mint(String subject, String... roles) {
        return mint(subject, new LinkedHashSet<>(Arrays.asList(roles)), Duration.ofHours(1));
    }

    static PrivateKey privateKey() {
        try (InputStream in = DevTokens.class.getClassLoader().getResourceAsStream(PRIVATE_KEY)) {
            if (in == null) {
                throw new IllegalStateException(PRIVATE_KEY + " is not on the classpath");
            }
            String pem =
                    new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                            .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                            .replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the dev private key " + PRIVATE_KEY, e);
        }
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println(
                    "usage: DevTokens <subject> <role>[,<role>...] [ttl-seconds]   roles: "
                            + String.join(", ", Roles.ALL));
            System.exit(2);
        }
        Duration ttl = Duration.ofSeconds(args.length == 3 ? Long.parseLong(args[2]) : 3600);
        System.out.println(
                mint(args[0], new LinkedHashSet<>(Arrays.asList(args[1].split(","))), ttl));
    }
}
