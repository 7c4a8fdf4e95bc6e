package eagle.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The HTTP side of {@link RegistryClient}: the registry's paths, requests with the bearer token and
 * the timeouts, and the mapping of every failure to a {@link RegistryException} (unreachable, timed
 * out or 5xx: {@link RegistryUnavailableException}; 4xx: {@link RegistryRefusedException} with the
 * registry's code and reason).
 */
final class RegistryHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String token;
    private final Duration timeout;
    private final Duration transferTimeout;
    private final HttpClient http;

    /** See {@link RegistryClient#RegistryClient(String, String, Duration)}. */
    RegistryHttp(String url, String token, Duration timeout) {
        this.base = url.replaceAll("/+$", "") + "/api/v1/models";
        this.token = token == null || token.isBlank() ? null : token;
        this.timeout = timeout;
        this.transferTimeout = timeout.multipliedBy(60);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The full address of {@code path} (below {@code /api/v1/models}). */
    String uriOf(String path) {
        return base + path;
    }

    /** The limit of an artifact transfer: 60 times a JSON call's. */
    Duration transferTimeout() {
        return transferTimeout;
    }

    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String modelPath(String model) {
        return "/" + seg(model);
    }

    static String versionPath(String model, int version) {
        return modelPath(model) + "/versions/" + version;
    }

    static String aliasPath(String model, String alias) {
        return modelPath(model) + "/aliases/" + seg(alias);
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(timeout)
                        .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    static HttpRequest json(HttpRequest.Builder b, String method, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot serialise the request body: " + e.getMessage(), e);
        }
        return b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
    }

    JsonNode getJson(String path) {
        return readJson(exchange(request(path).GET().build()));
    }

    /** Sends and requires a 2xx; returns the body. */
    HttpResponse<String> exchange(HttpRequest req) {
        HttpResponse<String> r = send(req, HttpResponse.BodyHandlers.ofString());
        requireSuccess(r, r.body());
        return r;
    }

    <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(req, handler);
        } catch (IOException e) {
            throw unavailable(req, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException(
                    req.method() + " " + req.uri() + ": interrupted", e);
        }
    }

    static RegistryUnavailableException unavailable(HttpRequest req, IOException e) {
        return new RegistryUnavailableException(
                "cannot reach the registry: " + req.method() + " " + req.uri() + ": " + e, e);
    }

    static void requireSuccess(HttpResponse<?> r, String body) {
        int status = r.statusCode();
        if (status >= 500) {
            throw new RegistryUnavailableException(
                    r.request().method()
                            + " "
                            + r.request().uri()
                            + " answered "
                            + status
                            + ": "
                            + reasonOf(body, status)[1],
                    null);
        }
        if (status / 100 != 2) {
            throw refused(r, body);
        }
    }

    static RegistryRefusedException refused(HttpResponse<?> r, String body) {
        String[] codeReason = reasonOf(body, r.statusCode());
        return new RegistryRefusedException(
                r.request().method() + " " + r.request().uri(),
                r.statusCode(),
                codeReason[0],
                codeReason[1]);
    }

    /**
     * The {@code code} and {@code reason} of an {@code ApiError} body, or {@code HTTP_<status>} and
     * the text.
     */
    static String[] reasonOf(String body, int status) {
        String text = body == null ? "" : body;
        try {
            JsonNode n = JSON.readTree(text);
            if (n != null && n.hasNonNull("code")) {
                return new String[] {n.get("code").asText(), n.path("reason").asText(text)};
            }
        } catch (IOException | RuntimeException e) {
            // not an ApiError body: keep the raw text as the reason
        }
        return new String[] {"HTTP_" + status, text};
    }

    static JsonNode readJson(HttpResponse<String> r) {
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n == null || n.isMissingNode()) {
                throw new IOException("empty body");
            }
            return n;
        } catch (IOException e) {
            throw new RegistryUnavailableException(
                    r.request().method()
                            + " "
                            + r.request().uri()
                            + " answered something that is not JSON: "
                            + e.getMessage(),
                    e);
        }
    }
}
