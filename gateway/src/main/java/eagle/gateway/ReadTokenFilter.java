package eagle.gateway;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Read access by token, when {@code eagle.gateway.read-tokens} is configured: every {@code /v1}
 * request must carry {@code Authorization: Bearer <token>} with one of them (401 with a reason
 * otherwise); see {@link ReadTokens}. Health, metrics and OpenAPI ({@code /q/*}) stay open.
 */
public class ReadTokenFilter {

    private final ReadTokens tokens;

    public ReadTokenFilter(ReadTokens tokens) {
        this.tokens = tokens;
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        if (tokens.open() || !request.getUriInfo().getPath().startsWith("/v1")) {
            return Optional.empty();
        }
        ReadTokens.Refusal refusal =
                tokens.check(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (refusal == null) {
            return Optional.empty();
        }
        return Optional.of(
                refusal == ReadTokens.Refusal.MISSING_TOKEN
                        ? refuse(
                                "MISSING_TOKEN",
                                "this gateway needs 'Authorization: Bearer <token>'")
                        : refuse("BAD_TOKEN", "the bearer token is not accepted"));
    }

    private static Response refuse(String code, String reason) {
        return Response.status(401)
                .type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"eagle-gateway\"")
                .entity(new ApiError(401, code, reason))
                .build();
    }
}
