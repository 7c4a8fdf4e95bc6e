package eagle.console;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

/**
 * {@code /proxy/{service}/{path}}: the page's only way to the services. GET and POST are relayed to
 * the configured service URL with the page's query string and body; the status and body come back
 * unchanged, so a refused action shows the service's own error. The page's {@code Authorization}
 * header is passed on; a GET without one gets the service's configured read token, a POST never
 * does (nothing is changed without the operator's token).
 */
@Path("/proxy/{service}/{path: .+}")
@Blocking
public class ServiceProxy {

    /** Services the page may reach. */
    static final Set<String> SERVICES =
            Set.of("registry", "ingest", "trainer", "evaluator", "gateway");

    @Inject ConsoleConfig config;

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @GET
    public Response get(
            @PathParam("service") String service,
            @PathParam("path") String path,
            @Context UriInfo uri,
            @Context HttpHeaders headers) {
        ConsoleConfig.Service target = target(service, path);
        if (target == null) {
            return unknown(service, path);
        }
        String auth = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (auth == null && target.readToken().isPresent()) {
            auth = "Bearer " + target.readToken().get();
        }
        return relay(
                service, target, path, uri, auth, HttpRequest.BodyPublishers.noBody(), "GET", null);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response post(
            @PathParam("service") String service,
            @PathParam("path") String path,
            @Context UriInfo uri,
            @Context HttpHeaders headers,
            byte[] body) {
        ConsoleConfig.Service target = target(service, path);
        if (target == null) {
            return unknown(service, path);
        }
        String type = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        return relay(
                service,
                target,
                path,
                uri,
                headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                HttpRequest.BodyPublishers.ofByteArray(body == null ? new byte[0] : body),
                "POST",
                type == null ? MediaType.APPLICATION_JSON : type);
    }

    private ConsoleConfig.Service target(String service, String path) {
        if (!SERVICES.contains(service) || path.contains("..") || path.startsWith("/")) {
            return null;
        }
        return config.service(service).orElse(null);
    }

    private Response relay(
            String service,
            ConsoleConfig.Service target,
            String path,
            UriInfo uri,
            String auth,
            HttpRequest.BodyPublisher body,
            String method,
            String contentType) {
        String query = uri.getRequestUri().getRawQuery();
        URI to =
                URI.create(
                        ServiceUrls.join(target.url().get(), path)
                                + (query == null ? "" : "?" + query));
        HttpRequest.Builder req =
                HttpRequest.newBuilder(to)
                        .timeout(config.timeout())
                        .method(method, body)
                        .header("Accept", "application/json, text/html;q=0.9, */*;q=0.5");
        if (auth != null) {
            req.header(HttpHeaders.AUTHORIZATION, auth);
        }
        if (contentType != null) {
            req.header(HttpHeaders.CONTENT_TYPE, contentType);
        }
        try {
            HttpResponse<byte[]> r =
                    http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            Response.ResponseBuilder out = Response.status(r.statusCode()).entity(r.body());
            r.headers()
                    .firstValue(HttpHeaders.CONTENT_TYPE)
                    .ifPresent(t -> out.header(HttpHeaders.CONTENT_TYPE, t));
            r.headers()
                    .firstValue(HttpHeaders.LOCATION)
                    .ifPresent(l -> out.header(HttpHeaders.LOCATION, l));
            return out.build();
        } catch (IOException e) {
            return error(
                    502,
                    "SERVICE_UNREACHABLE",
                    service + " at " + target.url().get() + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(503, "INTERRUPTED", "the console is stopping");
        }
    }

    private static Response unknown(String service, String path) {
        return error(
                404,
                "UNKNOWN_SERVICE",
                "the console relays to configured services "
                        + SERVICES
                        + " only, without '..'; not '"
                        + service
                        + "/"
                        + path
                        + "'");
    }

    static Response error(int status, String code, String reason) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "code", code, "reason", reason))
                .build();
    }
}
