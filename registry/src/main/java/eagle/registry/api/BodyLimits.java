package eagle.registry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.registry.RegistrySettings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Bounds request bodies before anything reads them. JSON requests under {@code /api/v1} must
 * declare a Content-Length of at most {@code eagle.registry.json.max-bytes} (411 / 413 otherwise);
 * artifact uploads may be up to {@code eagle.registry.artifact.max-bytes}, and are further held to
 * their version's declared size while streaming.
 */
@ApplicationScoped
public class BodyLimits {

    @Inject RegistrySettings settings;

    @Inject ObjectMapper mapper;

    void install(@Observes Router router) {
        router.route("/api/v1/*").order(-10).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
            ctx.next();
            return;
        }
        boolean artifact = ctx.normalizedPath().endsWith("/artifact");
        long maxJsonBytes = settings.json().maxBytes();
        long limit = artifact ? settings.artifact().maxBytes() : maxJsonBytes;
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            if (!artifact) {
                refuse(
                        ctx,
                        411,
                        "LENGTH_REQUIRED",
                        "JSON requests must declare their Content-Length (at most "
                                + maxJsonBytes
                                + " bytes)");
                return;
            }
            ctx.next(); // a chunked upload: held to the version's declared size while it streams
            return;
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            refuse(
                    ctx,
                    400,
                    "INVALID_CONTENT_LENGTH",
                    "Content-Length '" + declared + "' is not a number");
            return;
        }
        if (length > limit) {
            refuse(
                    ctx,
                    413,
                    "BODY_TOO_LARGE",
                    "the body declares "
                            + length
                            + " bytes; at most "
                            + limit
                            + " are accepted "
                            + (artifact ? "for an artifact" : "for a JSON request"));
            return;
        }
        ctx.next();
    }

    private void refuse(RoutingContext ctx, int status, String code, String reason) {
        String body;
        try {
            body = mapper.writeValueAsString(new ApiError(status, code, reason));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
