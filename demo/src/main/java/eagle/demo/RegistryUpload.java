package eagle.demo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.AnnotationEvent;
import eagle.core.io.Safetensors;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts an encoder file into the registry over its HTTP API, as an operator seeding it would: create the model,
 * register a version (sha256, size, the architecture from the file's {@code eagle.clip_config} metadata) and
 * upload its bytes. Used by {@code ./eagle demo} and the platform tests.
 */
public final class RegistryUpload {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RegistryUpload() {
    }

    /**
     * Creates {@code model} unless it exists.
     *
     * @param registry the registry's base URL ({@code http://host:port})
     * @param token    a bearer token with {@code registry.register}
     */
    public static void createModel(String registry, String token, String model, String description)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(registry + "/api/v1/models"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("name", model, "description", description)))).build());
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IOException("create model " + model + ": " + r.statusCode() + " " + r.body());
        }
    }

    /**
     * Registers {@code weights} as a version of {@code model} with {@code parent} (null for a root version) and
     * uploads its bytes unless the registry already holds them (the same file registered before).
     *
     * @return the version number
     */
    public static int registerAndUpload(String registry, String token, String model, Path weights, Integer parent)
            throws IOException, InterruptedException {
        byte[] bytes = Files.readAllBytes(weights);
        String config = Safetensors.readHeader(weights).metadata().get("eagle.clip_config");
        Map<String, Object> architecture = config == null ? Map.of()
                : JSON.readValue(config, new TypeReference<Map<String, Object>>() { });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("parentVersion", parent);
        body.put("sha256", AnnotationEvent.sha256Hex(bytes));
        body.put("sizeBytes", bytes.length);
        body.put("format", "safetensors");
        body.put("architecture", architecture);
        String versions = registry + "/api/v1/models/" + model + "/versions";
        HttpResponse<String> registered = send(HttpRequest.newBuilder(URI.create(versions))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        if (registered.statusCode() != 201 && registered.statusCode() != 200) {
            throw new IOException("register " + weights + ": " + registered.statusCode() + " " + registered.body());
        }
        var v = JSON.readTree(registered.body());
        int version = v.path("version").asInt();
        if (!"READY".equals(v.path("status").asText())) {
            HttpResponse<String> up = send(HttpRequest.newBuilder(URI.create(versions + "/" + version + "/artifact"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
            if (up.statusCode() / 100 != 2) {
                throw new IOException("upload v" + version + ": " + up.statusCode() + " " + up.body());
            }
        }
        return version;
    }

    private static HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }
}
