package eagle.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.model.EncoderSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.nio.file.Files;
import java.util.HexFormat;

/** What the trainer does against the real registry: create a model, register a version, upload its artifact. */
final class RegistryFixture {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;
    private final String token;

    RegistryFixture(String url, String token) {
        this.url = url;
        this.token = token;
    }

    JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2 && r.statusCode() != 404) {
            throw new IllegalStateException(method + " " + path + " → " + r.statusCode() + " " + r.body());
        }
        return r.statusCode() == 404 ? null : JSON.readTree(r.body());
    }

    void createModel(String model) throws IOException, InterruptedException {
        call("POST", "/api/v1/models", "{\"name\":\"" + model + "\",\"description\":\"evaluator test\"}");
    }

    /** Registers and uploads {@code file} with the encoder spec it carries as architecture; returns the version. */
    int register(String model, Path file, Integer parent) throws Exception {
        return register(model, file, parent, EncoderSpec.read(file).toJson());
    }

    /** Registers and uploads {@code file} claiming {@code architecture} (JSON); returns the version number. */
    int register(String model, Path file, Integer parent, String architecture) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        JsonNode v = call("POST", "/api/v1/models/" + model + "/versions", "{\"parentVersion\":" + parent
                + ",\"sha256\":\"" + sha + "\",\"sizeBytes\":" + bytes.length + ",\"format\":\"safetensors\","
                + "\"architecture\":" + architecture + ",\"trainingRun\":{\"runId\":\"t-" + sha.substring(0, 8)
                + "\",\"parameters\":{},\"dataManifest\":[]}}");
        int version = v.get("version").asInt();
        HttpRequest put = HttpRequest.newBuilder(URI.create(url + "/api/v1/models/" + model + "/versions/" + version
                        + "/artifact")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("upload → " + r.statusCode() + " " + r.body());
        }
        return version;
    }

    Integer production(String model) throws IOException, InterruptedException {
        JsonNode n = call("GET", "/api/v1/models/" + model + "/aliases/production", null);
        return n == null ? null : n.get("version").asInt();
    }

    JsonNode evaluations(String model, int version) throws IOException, InterruptedException {
        return call("GET", "/api/v1/models/" + model + "/versions/" + version + "/evaluations", null);
    }

    JsonNode history(String model) throws IOException, InterruptedException {
        return call("GET", "/api/v1/models/" + model + "/aliases/production/history", null);
    }
}
