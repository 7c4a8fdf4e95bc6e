package eagle.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.AliasTarget;
import eagle.client.Evaluation;
import eagle.client.RegistryClient;
import eagle.client.RegistryException;
import eagle.client.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * What the demo reads from the running services over HTTP: the registry (with {@link
 * RegistryClient} and a read token), the gateway's production encoder, the trainer's status and
 * ingest's class statistics. A service that cannot be reached or does not answer 200 reads as
 * empty/null: the demo keeps watching.
 */
final class DemoServices {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final RegistryClient registry;
    private final String model;
    private final String gateway;
    private final String trainer;
    private final String ingest;

    DemoServices(
            String registryUrl,
            String readToken,
            String model,
            String gateway,
            String trainer,
            String ingest) {
        this.registry = new RegistryClient(registryUrl, readToken, Duration.ofSeconds(10));
        this.model = model;
        this.gateway = gateway.replaceAll("/+$", "");
        this.trainer = trainer.replaceAll("/+$", "");
        this.ingest = ingest.replaceAll("/+$", "");
    }

    /** The gateway's base URL of the model's production encoder. */
    String gatewayEncoderUrl() {
        return gateway + "/v1/encoders/" + model;
    }

    /** The gateway's description of the production encoder, or null while it serves none. */
    JsonNode gatewayEncoder() throws InterruptedException {
        return get(gatewayEncoderUrl());
    }

    /** The trainer's status, or null when unreachable. */
    JsonNode trainerStatus() throws InterruptedException {
        return get(trainer + "/api/v1/status");
    }

    /** Ingest's per-class statistics, or null when unreachable. */
    JsonNode ingestClasses() throws InterruptedException {
        return get(ingest + "/statistics/classes");
    }

    /** Where production points, when it exists and the registry answers. */
    Optional<AliasTarget> production() {
        try {
            return registry.production(model);
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    /** The highest version number of the model (0 when none or unreachable). */
    int newestVersion() {
        try {
            return registry.versions(model).stream().mapToInt(Version::version).max().orElse(0);
        } catch (RegistryException e) {
            return 0;
        }
    }

    /** One version, or null when the registry does not answer it. */
    Version version(int version) {
        try {
            return registry.version(model, version);
        } catch (RegistryException e) {
            return null;
        }
    }

    /** The latest evaluation of {@code version}, or null when none (or unreachable). */
    Evaluation latestEvaluation(int version) {
        try {
            Evaluation latest = null;
            for (Evaluation e : registry.evaluations(model, version)) {
                if (latest == null
                        || text(e.createdAt()).compareTo(text(latest.createdAt())) >= 0) {
                    latest = e;
                }
            }
            return latest;
        } catch (RegistryException e) {
            return null;
        }
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    /** GET → JSON, or null when unreachable or not 200. */
    private static JsonNode get(String url) throws InterruptedException {
        HttpRequest r =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build();
        try {
            HttpResponse<String> res = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            return res.statusCode() == 200 ? JSON.readTree(res.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
