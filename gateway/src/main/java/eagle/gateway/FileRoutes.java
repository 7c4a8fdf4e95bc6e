package eagle.gateway;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The fast path for the files of the loaded production encoder ({@code /weights}, {@code
 * /visual/weights}, {@code /hf/{file}}, {@code /lavis/{file}}), on the Vert.x event loop before the
 * REST layer. It answers only what it can answer from memory, and hands everything else to {@link
 * EncoderResource} ({@code ctx.next()}), which keeps the full semantics:
 *
 * <ul>
 *   <li>{@code If-None-Match} naming the current digest → 304 with the version headers, with no
 *       disk or registry work;
 *   <li>a full GET → the file by zero-copy {@code sendFile}, when the weights file is still the one
 *       verified last (one {@code stat}: size, modification time, file key; see {@link
 *       ArtifactCache#unchangedSinceVerified}); a changed file goes the slow way, which hashes it
 *       again and refuses and re-fetches it when tampered with.
 * </ul>
 *
 * Handed on: requests with {@code Range}, a missing or wrong read token (the REST layer answers
 * 401), a model not loaded yet or whose production could not be swapped in (503), an unknown file
 * name. Off with {@code eagle.gateway.file-fast-path=false} (then every request takes the REST
 * path, as before; the benchmark measures both).
 */
@ApplicationScoped
public class FileRoutes {

    private enum Kind {
        WEIGHTS,
        VISUAL,
        HF,
        LAVIS
    }

    private final ProductionEncoders encoders;
    private final ArtifactCache cache;
    private final ReadTokens tokens;
    private final boolean enabled;
    private final DownloadMetrics downloads;

    public FileRoutes(
            ProductionEncoders encoders,
            ArtifactCache cache,
            ReadTokens tokens,
            GatewayConfig config,
            DownloadMetrics downloads) {
        this.downloads = downloads;
        this.encoders = encoders;
        this.cache = cache;
        this.tokens = tokens;
        this.enabled = config.fileFastPath();
    }

    void install(@Observes Router router) {
        if (!enabled) {
            return; // eagle.gateway.file-fast-path=false: every request takes the REST path
        }
        int order = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT;
        router.get("/v1/encoders/:name/weights")
                .order(order)
                .handler(ctx -> serve(ctx, Kind.WEIGHTS));
        router.get("/v1/encoders/:name/visual/weights")
                .order(order)
                .handler(ctx -> serve(ctx, Kind.VISUAL));
        router.get("/v1/encoders/:name/hf/:file").order(order).handler(ctx -> serve(ctx, Kind.HF));
        router.get("/v1/encoders/:name/lavis/:file")
                .order(order)
                .handler(ctx -> serve(ctx, Kind.LAVIS));
    }

    private void serve(RoutingContext ctx, Kind kind) {
        HttpServerRequest request = ctx.request();
        if (request.getHeader("Range") != null
                || tokens.check(request.getHeader(HttpHeaders.AUTHORIZATION)) != null) {
            ctx.next();
            return;
        }
        String name = ctx.pathParam("name");
        ProductionEncoders.Serving s = name == null ? null : encoders.peek(name);
        if (s == null || encoders.stale(name) != null) {
            ctx.next();
            return;
        }
        LoadedEncoder e = s.current();
        ServedFile f =
                switch (kind) {
                    case WEIGHTS -> e.weights();
                    case VISUAL -> e.visualTower();
                    case HF -> e.hfFile(ctx.pathParam("file"));
                    case LAVIS ->
                            LoadedEncoder.LAVIS_FILE.equals(ctx.pathParam("file"))
                                    ? e.lavisEncoder()
                                    : null;
                };
        if (f == null) {
            ctx.next();
            return;
        }
        HttpServerResponse response = ctx.response();
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && FileResponses.matches(ifNoneMatch, f.sha256())) {
            headers(response, f).setStatusCode(304).end();
            downloads.served(label(kind, ctx), 304, 0);
            return;
        }
        if (kind == Kind.WEIGHTS && !cache.unchangedSinceVerified(f.sha256())) {
            ctx.next();
            return;
        }
        headers(response, f).putHeader(HttpHeaders.CONTENT_TYPE, f.mediaType());
        downloads.served(label(kind, ctx), 200, f.sizeBytes());
        response.sendFile(f.path().toString(), 0, f.sizeBytes())
                .onFailure(
                        err -> {
                            if (!response.headWritten()) {
                                ctx.fail(err);
                            }
                        });
    }

    /** The {@link DownloadMetrics} file label, as {@link EncoderResource} gives it. */
    private static String label(Kind kind, RoutingContext ctx) {
        return switch (kind) {
            case WEIGHTS -> "weights";
            case VISUAL -> "visual";
            case HF -> "hf/" + ctx.pathParam("file");
            case LAVIS -> "lavis";
        };
    }

    private static final CharSequence BYTES = HttpHeaders.createOptimized("bytes");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
    private static final CharSequence MODEL = HttpHeaders.createOptimized(FileResponses.MODEL);
    private static final CharSequence VERSION = HttpHeaders.createOptimized(FileResponses.VERSION);
    private static final CharSequence SHA256 = HttpHeaders.createOptimized(FileResponses.SHA256);
    private static final CharSequence FILE_SHA256 =
            HttpHeaders.createOptimized(FileResponses.FILE_SHA256);

    /** The headers of {@link FileResponses#headers}, on a Vert.x response. */
    private static HttpServerResponse headers(HttpServerResponse r, ServedFile f) {
        return r.putHeader(HttpHeaders.ETAG, FileResponses.quote(f.sha256()))
                .putHeader(HttpHeaders.ACCEPT_RANGES, BYTES)
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE)
                .putHeader(MODEL, f.model())
                .putHeader(VERSION, Integer.toString(f.version()))
                .putHeader(SHA256, f.artifactSha256())
                .putHeader(FILE_SHA256, f.sha256());
    }
}
