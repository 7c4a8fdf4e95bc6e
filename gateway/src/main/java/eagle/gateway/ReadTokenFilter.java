package eagle.gateway;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Read access by token, when {@code gateway.read-tokens} is configured: every {@code /v1} request must carry
 * {@code Authorization: Bearer <token>} with one of them (401 with a reason otherwise). Tokens are compared by
 * their SHA-256 in constant time; an entry {@code sha256:<hex>} lets the configuration hold only the digest.
 * Health, metrics and OpenAPI ({@code /q/*}) stay open.
 */
public class ReadTokenFilter {

    private final List<byte[]> accepted;

    public ReadTokenFilter(GatewayConfig config) {
        this.accepted = config.readTokens().orElse(List.of()).stream()
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .map(t -> t.startsWith("sha256:")
                        ? java.util.HexFormat.of().parseHex(t.substring("sha256:".length()))
                        : Digests.sha256().digest(t.getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        if (accepted.isEmpty() || !request.getUriInfo().getPath().startsWith("/v1")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            return Optional.of(refuse("MISSING_TOKEN", "this gateway needs 'Authorization: Bearer <token>'"));
        }
        byte[] presented = Digests.sha256().digest(header.substring("Bearer ".length()).trim()
                .getBytes(StandardCharsets.UTF_8));
        boolean ok = false;
        for (byte[] a : accepted) {
            ok |= MessageDigest.isEqual(a, presented);
        }
        return ok ? Optional.empty() : Optional.of(refuse("BAD_TOKEN", "the bearer token is not accepted"));
    }

    private static Response refuse(String code, String reason) {
        return Response.status(401).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"eagle-gateway\"")
                .entity(new ApiError(401, code, reason)).build();
    }
}
