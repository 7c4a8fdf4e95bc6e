package eagle.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.RegistryClient;
import eagle.client.Sha256;
import eagle.core.model.EncoderSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the trainer does against the real registry (through {@code eagle-client}): create a model,
 * register a version and upload its artifact; plus the raw JSON reads the tests assert on.
 */
final class RegistryFixture {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final RegistryClient client;
    private final String url;
    private final String token;

    RegistryFixture(String url, String token) {
        this.url = url;
        this.token = token;
        this.client = new RegistryClient(url, token);
    }

    /** GET {@code path}: the JSON answer, or null on 404. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest req =
                HttpRequest.newBuilder(URI.create(url + path))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2 && r.statusCode() != 404) {
            throw new IllegalStateException(
                    "GET " + path + " → " + r.statusCode() + " " + r.body());
        }
        return r.statusCode() == 404 ? null : JSON.readTree(r.body());
    }

    void createModel(String model) {
        client.createModel(model, "evaluator test");
    }

    /**
     * Registers and uploads {@code file} with the encoder spec it carries as architecture; returns
     * the version.
     */
    int register(String model, Path file, Integer parent) throws Exception {
        return register(model, file, parent, EncoderSpec.read(file).toJson());
    }

    /**
     * Registers and uploads {@code file} claiming {@code architecture} (JSON); returns the version
     * number.
     */
    int register(String model, Path file, Integer parent, String architecture) throws Exception {
        Map<String, Object> run =
                Map.of(
                        "runId",
                        "t-" + Sha256.of(file).substring(0, 8),
                        "parameters",
                        Map.of(),
                        "dataManifest",
                        List.of());
        return client.registerAndUpload(model, parent, file, JSON.readTree(architecture), run)
                .version();
    }

    Integer production(String model) {
        return client.production(model).map(t -> t.version()).orElse(null);
    }

    JsonNode version(String model, int version) throws IOException, InterruptedException {
        return get("/api/v1/models/" + model + "/versions/" + version);
    }

    JsonNode evaluations(String model, int version) throws IOException, InterruptedException {
        return get("/api/v1/models/" + model + "/versions/" + version + "/evaluations");
    }

    JsonNode history(String model) throws IOException, InterruptedException {
        return get("/api/v1/models/" + model + "/aliases/production/history");
    }
}
