package eagle.gateway;

import ai.djl.Device;
import eagle.client.Sha256;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.core.model.TokenizerSpec;
import eagle.infra.DevJwt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's HTTP API driven as its writers drive it (trainer registers, evaluator blesses,
 * releaser moves {@code production}), with dev tokens for each role. Test-only.
 */
final class RegistryApi {

    private final String base;
    private final String register = DevJwt.mint("trainer", "registry.register");
    private final String evaluate = DevJwt.mint("evaluator", "registry.evaluate");
    private final String alias = DevJwt.mint("releaser", "registry.alias");
    private final HttpClient http = HttpClient.newHttpClient();

    RegistryApi(String base) {
        this.base = base;
    }

    static String readToken() {
        return DevJwt.mint("gateway", "registry.read");
    }

    /**
     * The spec of the tiny test encoders: {@code ClipConfig.tiny()} with a words tokenizer filling
     * its vocabulary.
     */
    static EncoderSpec tinySpec() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < ClipConfig.TINY_DEFAULT_VOCAB_SIZE - 4; i++) {
            words.add("w" + i);
        }
        ClipConfig config = ClipConfig.tiny();
        return EncoderSpec.of(
                config, TokenizerSpec.words(words, config.text().contextLength()), List.of());
    }

    /**
     * A tiny CLIP with this seed, saved as safetensors (OpenAI names, its EncoderSpec in the
     * metadata).
     */
    static Path tinyModel(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("tiny-" + seed + ".safetensors");
        if (!Files.exists(file)) {
            try (ClipModel m = ClipModel.create(ClipConfig.tiny(), Device.cpu(), seed)) {
                m.save(file, tinySpec().metadata());
            }
        }
        return file;
    }

    /**
     * The spec of the EVA-shaped test encoders: {@code ClipConfig.evaTiny} with a words tokenizer.
     */
    static EncoderSpec evaTinySpec() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < ClipConfig.TINY_DEFAULT_VOCAB_SIZE - 4; i++) {
            words.add("w" + i);
        }
        ClipConfig config = ClipConfig.evaTiny(ClipConfig.TINY_DEFAULT_VOCAB_SIZE);
        return EncoderSpec.of(
                config, TokenizerSpec.words(words, config.text().contextLength()), List.of());
    }

    /**
     * An EVA01-tiny CLIP with this seed, saved as safetensors (EVA-CLIP names, its EncoderSpec in
     * the metadata).
     */
    static Path evaTinyModel(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("eva-tiny-" + seed + ".safetensors");
        if (!Files.exists(file)) {
            try (ClipModel m = ClipModel.create(evaTinySpec().config(), Device.cpu(), seed)) {
                m.save(file, evaTinySpec().metadata());
            }
        }
        return file;
    }

    void createModel(String model) {
        call(
                "POST",
                "/models",
                register,
                "{\"name\":\"" + model + "\",\"description\":\"gateway test\"}",
                201);
    }

    /** Registers {@code file} as the next version and uploads it; returns the version number. */
    int registerAndUpload(String model, Path file, Integer parent) throws IOException {
        return registerAndUpload(model, file, parent, tinySpec());
    }

    /**
     * As {@link #registerAndUpload(String, Path, Integer)}, with {@code spec} as the registry's
     * architecture.
     */
    int registerAndUpload(String model, Path file, Integer parent, EncoderSpec spec)
            throws IOException {
        String sha = Sha256.of(file);
        String body =
                "{\"parentVersion\":"
                        + parent
                        + ",\"sha256\":\""
                        + sha
                        + "\",\"sizeBytes\":"
                        + Files.size(file)
                        + ",\"format\":\"safetensors\",\"architecture\":"
                        + spec.toJson()
                        + ",\"trainingRun\":{\"runId\":\"gw-"
                        + sha.substring(0, 8)
                        + "\",\"parameters\":{},\"dataManifest\":[]}}";
        String created = call("POST", "/models/" + model + "/versions", register, body, 201);
        int version =
                Integer.parseInt(created.replaceAll("(?s).*\"version\"\\s*:\\s*(\\d+).*", "$1"));
        HttpRequest put =
                HttpRequest.newBuilder(
                                URI.create(
                                        base
                                                + "/models/"
                                                + model
                                                + "/versions/"
                                                + version
                                                + "/artifact"))
                        .header("Authorization", "Bearer " + register)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofFile(file))
                        .build();
        expect(send(put), 200, "upload");
        return version;
    }

    void evaluate(String model, int version, boolean passed) {
        call(
                "POST",
                "/models/" + model + "/versions/" + version + "/evaluations",
                evaluate,
                "{\"suiteId\":\"gw-suite-v1\",\"metrics\":{\"zeroshot.cls\":0.69},\"thresholds\":{},"
                        + "\"slices\":[{\"slice\":\"zeroshot/cls\",\"passed\":"
                        + passed
                        + "}],\"passed\":"
                        + passed
                        + "}",
                201);
    }

    void promote(String model, int version) {
        call(
                "PUT",
                "/models/" + model + "/aliases/production",
                alias,
                "{\"version\":" + version + ",\"reason\":\"gateway test\"}",
                200);
    }

    void rollback(String model) {
        call(
                "POST",
                "/models/" + model + "/aliases/production/rollback",
                alias,
                "{\"reason\":\"gateway test\"}",
                200);
    }

    /**
     * A model with version 1 (tiny, {@code seed}) blessed and in production; returns version 1's
     * file.
     */
    Path modelInProduction(String model, Path dir, long seed) throws IOException {
        Path file = tinyModel(dir, seed);
        createModel(model);
        int v = registerAndUpload(model, file, null);
        evaluate(model, v, true);
        promote(model, v);
        return file;
    }

    private String call(String method, String path, String token, String json, int expected) {
        HttpRequest r =
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                        .build();
        return expect(send(r), expected, method + " " + path);
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("registry call failed: " + r.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(
                    what
                            + " answered "
                            + r.statusCode()
                            + " (expected "
                            + status
                            + "): "
                            + r.body());
        }
        return r.body();
    }
}
