package eagle.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's HTTP API as the gateway uses it (read role only): resolve an alias to (version, sha256),
 * read a version and its evaluations, stream an artifact. Every failure is a {@link GatewayException} that
 * carries the registry's code and reason, or {@code REGISTRY_UNAVAILABLE} when it cannot be reached.
 */
@ApplicationScoped
public class RegistryClient {

    /** The alias the gateway serves. */
    public static final String PRODUCTION = "production";

    /** Step one of the two-step resolution (docs/ARCHITECTURE.md, Serving): alias to version and digest. */
    public record Pointer(String model, int version, String sha256) {
    }

    /** A version as the registry shows it; {@code raw} is the registry's whole JSON object. */
    public record VersionInfo(String model, int version, String sha256, long sizeBytes, String status, JsonNode raw) {
        public boolean ready() {
            return "READY".equals(status);
        }
    }

    private final GatewayConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    public RegistryClient(GatewayConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.registry().timeout()).build();
    }

    /** Where {@code production} of {@code model} points now. */
    public Pointer production(String model) {
        JsonNode body = getJson("/models/" + enc(model) + "/aliases/" + PRODUCTION);
        return new Pointer(model, body.path("version").asInt(), body.path("sha256").asText());
    }

    /** One version of {@code model}. */
    public VersionInfo version(String model, int version) {
        JsonNode body = getJson("/models/" + enc(model) + "/versions/" + version);
        return new VersionInfo(model, body.path("version").asInt(), body.path("sha256").asText(),
                body.path("sizeBytes").asLong(), body.path("status").asText(), body);
    }

    /** Every evaluation recorded for a version, oldest first. */
    public List<JsonNode> evaluations(String model, int version) {
        JsonNode body = getJson("/models/" + enc(model) + "/versions/" + version + "/evaluations");
        List<JsonNode> all = new ArrayList<>();
        body.forEach(all::add);
        return all;
    }

    /** The artifact's bytes, streamed; the caller closes the stream and verifies the digest. */
    public InputStream artifact(String model, int version) {
        HttpResponse<InputStream> response = send(
                request("/models/" + enc(model) + "/versions/" + version + "/artifact", false),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                throw refusal(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw unavailable(e);
            }
        }
        return response.body();
    }

    private JsonNode getJson(String path) {
        HttpResponse<String> response = send(request(path, true), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw refusal(response.statusCode(), response.body());
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new GatewayException(502, "REGISTRY_BAD_RESPONSE", "the registry answered " + path
                    + " with something that is not JSON: " + e.getMessage(), e);
        }
    }

    private HttpRequest request(String path, boolean timed) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.registry().url() + path)).GET();
        if (timed) {
            b.timeout(config.registry().timeout());
        }
        config.registry().token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b.build();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(503, "INTERRUPTED", "interrupted while calling the registry", e);
        }
    }

    /** The registry's refusal, passed on with its code; 401/403 of the registry are the gateway's own misconfiguration. */
    private GatewayException refusal(int status, String body) {
        String code = "REGISTRY_" + status;
        String reason = body;
        try {
            JsonNode error = json.readTree(body);
            if (error != null && error.hasNonNull("code")) {
                code = error.get("code").asText();
                reason = error.path("reason").asText(body);
            }
        } catch (IOException ignored) {
            // not an ApiError body: keep the raw text as the reason
        }
        int mapped = status == 404 || status == 409 ? status : 502;
        return new GatewayException(mapped, code, "registry answered " + status + ": " + reason);
    }

    private static GatewayException unavailable(IOException e) {
        return new GatewayException(503, "REGISTRY_UNAVAILABLE", "cannot reach the registry: " + e, e);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
