package eagle.gateway;

import eagle.client.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The read tokens of {@code eagle.gateway.read-tokens}, compared by their SHA-256 in constant time;
 * an entry {@code sha256:<hex>} lets the configuration hold only the digest. Used by {@link
 * ReadTokenFilter} and by the file fast path ({@link FileRoutes}).
 */
@ApplicationScoped
public class ReadTokens {

    /**
     * Why a request is refused: {@code MISSING_TOKEN} or {@code BAD_TOKEN}; null when it may read.
     */
    public enum Refusal {
        MISSING_TOKEN,
        BAD_TOKEN
    }

    private final List<byte[]> accepted;

    public ReadTokens(GatewayConfig config) {
        this.accepted =
                config.readTokens().orElse(List.of()).stream()
                        .map(String::trim)
                        .filter(t -> !t.isEmpty())
                        .map(
                                t ->
                                        t.startsWith("sha256:")
                                                ? HexFormat.of()
                                                        .parseHex(t.substring("sha256:".length()))
                                                : Sha256.digest()
                                                        .digest(t.getBytes(StandardCharsets.UTF_8)))
                        .toList();
    }

    /** Whether {@code /v1} is open (no read tokens configured). */
    public boolean open() {
        return accepted.isEmpty();
    }

    /** Null when a request with this {@code Authorization} header may read, else why not. */
    public Refusal check(String authorization) {
        if (accepted.isEmpty()) {
            return null;
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Refusal.MISSING_TOKEN;
        }
        byte[] presented =
                Sha256.digest()
                        .digest(
                                authorization
                                        .substring("Bearer ".length())
                                        .trim()
                                        .getBytes(StandardCharsets.UTF_8));
        boolean ok = false;
        for (byte[] a : accepted) {
            ok |= MessageDigest.isEqual(a, presented);
        }
        return ok ? null : Refusal.BAD_TOKEN;
    }
}
