package eagle.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's HTTP API as the trainer uses it (plain {@code java.net.http}, bearer token): resolve the
 * {@code production} alias, download an artifact, create the model, register a version and upload its
 * artifact. A registry that cannot be reached or answers 5xx is a {@link Unavailable} (the caller retries
 * with backoff); any other refusal is a {@link Refused} with the registry's code and reason.
 */
public final class RegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The registry could not be reached, timed out or failed (5xx): try again later. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The registry answered with a refusal (4xx other than the expected ones). */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** Where an alias points. */
    public record AliasTarget(int version, String sha256) {
    }

    /** A registered version and whether its artifact is stored. */
    public record Registered(int version, boolean ready) {
    }

    private final HttpClient http;
    private final String base;
    private final String token;
    private final String model;

    public RegistryClient(String url, String token, String model) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.base = url.replaceAll("/+$", "") + "/api/v1/models";
        this.token = token == null ? "" : token;
        this.model = model;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10));
        if (!token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws Unavailable {
        HttpResponse<T> response;
        try {
            response = http.send(request, handler);
        } catch (IOException e) {
            throw new Unavailable(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        }
        if (response.statusCode() >= 500) {
            throw new Unavailable(request.method() + " " + request.uri() + " answered " + response.statusCode(), null);
        }
        return response;
    }

    private static Refused refused(HttpResponse<?> r, Object body) {
        return new Refused(r.request().method() + " " + r.request().uri() + " → " + r.statusCode() + " " + body);
    }

    /** The production alias, or empty when the model or the alias does not exist yet. */
    public Optional<AliasTarget> production() throws Unavailable, Refused {
        HttpResponse<String> r = send(request("/" + model + "/aliases/production").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw refused(r, r.body());
        }
        JsonNode n = readTree(r.body());
        return Optional.of(new AliasTarget(n.path("version").asInt(), n.path("sha256").asText()));
    }

    /** Downloads a version's artifact to {@code target}, verifying its digest. */
    public void download(int version, String sha256, Path target) throws Unavailable, Refused, IOException {
        HttpResponse<InputStream> r = send(request("/" + model + "/versions/" + version + "/artifact").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            try (InputStream in = r.body()) {
                throw refused(r, new String(in.readAllBytes()));
            }
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".download");
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(r.body(), digest)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256)) {
            Files.deleteIfExists(tmp);
            throw new IOException("artifact of version " + version + " hashes to " + actual + ", not " + sha256);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Creates the model; an existing one is fine. */
    public void ensureModel() throws Unavailable, Refused {
        String body = json(Map.of("name", model, "description", "EAGLE encoder trained by eagle-trainer"));
        HttpResponse<String> r = send(request("").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 200 && r.statusCode() != 409) {
            throw refused(r, r.body());
        }
    }

    /** Registers a version (the same sha256 again answers the existing version). */
    public Registered register(Integer parentVersion, Path artifact, Map<String, Object> architecture,
            Map<String, Object> trainingRun) throws Unavailable, Refused, IOException {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("parentVersion", parentVersion);
        req.put("sha256", sha256Of(artifact));
        req.put("sizeBytes", Files.size(artifact));
        req.put("format", "safetensors");
        req.put("architecture", architecture);
        req.put("trainingRun", trainingRun);
        HttpResponse<String> r = send(request("/" + model + "/versions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(req))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw refused(r, r.body());
        }
        JsonNode n = readTree(r.body());
        return new Registered(n.path("version").asInt(), "READY".equals(n.path("status").asText()));
    }

    /** Streams the artifact; the registry verifies size and digest. */
    public void upload(int version, Path artifact) throws Unavailable, Refused, IOException {
        HttpResponse<String> r = send(request("/" + model + "/versions/" + version + "/artifact")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(artifact)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw refused(r, r.body());
        }
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readTree(String body) throws Unavailable {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new Unavailable("unreadable registry answer: " + body, e);
        }
    }
}
