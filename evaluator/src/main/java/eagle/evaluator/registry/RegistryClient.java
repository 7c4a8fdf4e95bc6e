package eagle.evaluator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry's HTTP API ({@code /api/v1}, registry/README.md) as the evaluator uses it, authenticated with one
 * bearer token that carries {@code registry.read}, {@code registry.evaluate} and {@code registry.alias}.
 * Every refusal becomes a {@link RegistryException} with the registry's code and reason.
 */
public final class RegistryClient {

    /** A version as the registry shows it (the fields the evaluator reads). */
    public record Version(String model, int version, Integer parentVersion, String sha256, long sizeBytes,
                          String format, JsonNode architecture, String status) {
        public boolean ready() {
            return "READY".equals(status);
        }
    }

    /** Where an alias points. */
    public record AliasTarget(int version, String sha256, String evaluationId) {
    }

    /** One alias history entry. */
    public record HistoryEntry(long id, Integer from, int to, String action, String reason, String evaluationId) {
    }

    /** A recorded evaluation (the fields the evaluator reads). */
    public record Evaluation(String id, int version, String suiteId, Integer baselineVersion, boolean passed,
                             String reportUrl, String purpose) {
    }

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    public RegistryClient(URI base, String token, ObjectMapper json, Duration timeout) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.token = token;
        this.json = json;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public Version version(String model, int version) {
        return toVersion(get("api/v1/models/" + seg(model) + "/versions/" + version));
    }

    /** Where {@code alias} points now; empty when it does not exist yet. */
    public Optional<AliasTarget> alias(String model, String alias) {
        try {
            JsonNode n = get("api/v1/models/" + seg(model) + "/aliases/" + seg(alias));
            return Optional.of(new AliasTarget(n.get("version").asInt(), n.path("sha256").asText(null),
                    n.path("evaluationId").asText(null)));
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public List<HistoryEntry> history(String model, String alias) {
        List<HistoryEntry> out = new ArrayList<>();
        try {
            for (JsonNode n : get("api/v1/models/" + seg(model) + "/aliases/" + seg(alias) + "/history")) {
                out.add(new HistoryEntry(n.get("id").asLong(), n.hasNonNull("from") ? n.get("from").asInt() : null,
                        n.get("to").asInt(), n.path("action").asText(), n.path("reason").asText(null),
                        n.path("evaluationId").asText(null)));
            }
        } catch (RegistryException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        return out;
    }

    public List<Evaluation> evaluations(String model, int version) {
        List<Evaluation> out = new ArrayList<>();
        for (JsonNode n : get("api/v1/models/" + seg(model) + "/versions/" + version + "/evaluations")) {
            out.add(new Evaluation(n.get("id").asText(), n.get("version").asInt(), n.path("suiteId").asText(null),
                    n.hasNonNull("baselineVersion") ? n.get("baselineVersion").asInt() : null,
                    n.path("passed").asBoolean(false), n.path("reportUrl").asText(null),
                    n.path("thresholds").path("_gate").path("purpose").asText("candidate")));
        }
        return out;
    }

    /** Records an evaluation; the body follows {@code RecordEvaluationRequest}. Returns its id. */
    public String recordEvaluation(String model, int version, ObjectNode body) {
        return send("POST", "api/v1/models/" + seg(model) + "/versions/" + version + "/evaluations", body)
                .get("id").asText();
    }

    /**
     * Moves {@code alias} to {@code version} only if it still points at {@code ifCurrent} (null: only if it does
     * not exist), so a move computed against a stale baseline is refused ({@code ALIAS_CHANGED}).
     */
    public AliasTarget moveAlias(String model, String alias, int version, Integer ifCurrent, String reason,
                                 String evaluationId) {
        ObjectNode body = json.createObjectNode();
        body.put("version", version);
        body.put("reason", reason);
        body.put("evaluationId", evaluationId);
        JsonNode n = send("PUT", "api/v1/models/" + seg(model) + "/aliases/" + seg(alias) + "?ifCurrentVersion="
                + (ifCurrent == null ? "none" : ifCurrent.toString()), body);
        return new AliasTarget(n.get("version").asInt(), n.path("sha256").asText(null),
                n.path("evaluationId").asText(null));
    }

    /** Re-points {@code alias} to the previous blessed entry of its history, or to {@code toVersion}. */
    public AliasTarget rollback(String model, String alias, String reason, Integer toVersion) {
        ObjectNode body = json.createObjectNode();
        body.put("reason", reason);
        if (toVersion != null) {
            body.put("toVersion", toVersion);
        }
        JsonNode n = send("POST", "api/v1/models/" + seg(model) + "/aliases/" + seg(alias) + "/rollback", body);
        return new AliasTarget(n.get("version").asInt(), n.path("sha256").asText(null),
                n.path("evaluationId").asText(null));
    }

    /** Streams the version's artifact to {@code target} (replacing it). The caller verifies the digest. */
    public void download(String model, int version, Path target) {
        HttpRequest req = request("api/v1/models/" + seg(model) + "/versions/" + version + "/artifact")
                .timeout(timeout.multipliedBy(30)).GET().build();
        try {
            HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = res.body()) {
                if (res.statusCode() != 200) {
                    throw error(res.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                Path tmp = target.resolveSibling(target.getFileName() + ".part");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("downloading " + model + " v" + version + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private JsonNode get(String path) {
        return exchange(request(path).GET().build());
    }

    private JsonNode send(String method, String path, JsonNode body) {
        try {
            return exchange(request(path).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise request: " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private JsonNode exchange(HttpRequest req) {
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() / 100 != 2) {
                throw error(res.statusCode(), res.body());
            }
            return json.readTree(res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(req.method() + " " + req.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private RegistryException error(int status, String body) {
        try {
            JsonNode n = json.readTree(body);
            return new RegistryException(status, n.path("code").asText("HTTP_" + status),
                    n.path("reason").asText(body));
        } catch (IOException | RuntimeException e) {
            return new RegistryException(status, "HTTP_" + status, body == null ? "" : body);
        }
    }

    private Version toVersion(JsonNode n) {
        return new Version(n.get("model").asText(), n.get("version").asInt(),
                n.hasNonNull("parentVersion") ? n.get("parentVersion").asInt() : null, n.get("sha256").asText(),
                n.path("sizeBytes").asLong(), n.path("format").asText(null), n.get("architecture"),
                n.path("status").asText());
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
