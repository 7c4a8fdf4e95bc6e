package eagle.registry;

import static org.hamcrest.Matchers.equalTo;

import eagle.registry.security.DevTokens;
import eagle.registry.security.Roles;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helpers: dev tokens per role, unique model names, and the common register/upload/evaluate
 * steps.
 */
final class Api {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    private Api() {}

    /** A request carrying a bearer token with exactly {@code roles}. */
    static RequestSpecification as(String... roles) {
        return RestAssured.given()
                .header("Authorization", "Bearer " + DevTokens.mint("tester", roles));
    }

    static RequestSpecification json(String... roles) {
        return as(roles).contentType(ContentType.JSON);
    }

    /** A model name no other test uses. */
    static String uniqueModel(String prefix) {
        return prefix + "-" + RUN + "-" + SEQ.incrementAndGet();
    }

    static String createModel(String prefix) {
        String name = uniqueModel(prefix);
        json(Roles.REGISTER)
                .body(Map.of("name", name, "description", "test model"))
                .post("/api/v1/models")
                .then()
                .statusCode(201)
                .body("name", equalTo(name));
        return name;
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> versionBody(byte[] artifact, Integer parent) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("parentVersion", parent);
        body.put("sha256", sha256(artifact));
        body.put("sizeBytes", artifact.length);
        body.put("format", "safetensors");
        body.put("architecture", architecture(64, "words"));
        body.put(
                "trainingRun",
                Map.of(
                        "runId",
                        "run-1",
                        "parameters",
                        Map.of("lr", 1e-3, "rank", 8),
                        "dataManifest",
                        List.of(
                                Map.of(
                                        "topic",
                                        "eagle.samples.v1",
                                        "partition",
                                        0,
                                        "fromOffset",
                                        0,
                                        "untilOffset",
                                        128))));
        return body;
    }

    /**
     * An encoder spec JSON as versions carry it (docs/ARCHITECTURE.md, Registry): a tiny CLIP
     * config with image tower width {@code visionWidth}, a tokenizer of {@code tokenizerKind}
     * ("words" or "clip-bpe").
     */
    static Map<String, Object> architecture(int visionWidth, String tokenizerKind) {
        Map<String, Object> vision =
                Map.of(
                        "imageSize",
                        32,
                        "patchSize",
                        8,
                        "width",
                        visionWidth,
                        "layers",
                        2,
                        "heads",
                        2,
                        "mlpRatio",
                        4.0,
                        "activation",
                        "QUICK_GELU",
                        "layerNormEps",
                        1e-5);
        Map<String, Object> text =
                Map.of(
                        "contextLength",
                        16,
                        "vocabSize",
                        8,
                        "width",
                        64,
                        "layers",
                        2,
                        "heads",
                        2,
                        "mlpRatio",
                        4.0,
                        "activation",
                        "QUICK_GELU",
                        "layerNormEps",
                        1e-5);
        Map<String, Object> tokenizer =
                tokenizerKind.equals("words")
                        ? Map.of(
                                "kind",
                                "words",
                                "words",
                                List.of("a", "photo", "of", "cat", "dog"),
                                "contextLength",
                                16)
                        : Map.of(
                                "kind",
                                "clip-bpe",
                                "vocabSha256",
                                "9".repeat(64),
                                "contextLength",
                                16);
        Map<String, Object> spec = new java.util.LinkedHashMap<>();
        spec.put("family", "openai-clip");
        spec.put("preset", "tiny");
        spec.put("config", Map.of("embedDim", 32, "vision", vision, "text", text));
        spec.put("tokenizer", tokenizer);
        spec.put("promptTemplates", List.of("a photo of a {}."));
        return spec;
    }

    static Response register(String model, byte[] artifact, Integer parent) {
        return json(Roles.REGISTER)
                .body(versionBody(artifact, parent))
                .post("/api/v1/models/" + model + "/versions");
    }

    static Response upload(String model, int version, byte[] body) {
        return as(Roles.REGISTER)
                .contentType("application/octet-stream")
                .body(body)
                .put("/api/v1/models/" + model + "/versions/" + version + "/artifact");
    }

    /** Registers and uploads: returns the READY version's number. */
    static int readyVersion(String model, byte[] artifact, Integer parent) {
        int v = register(model, artifact, parent).then().statusCode(201).extract().path("version");
        upload(model, v, artifact).then().statusCode(200).body("status", equalTo("READY"));
        return v;
    }

    static Map<String, Object> evaluationBody(boolean passed, Integer baseline) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("suiteId", "scenes-heldout-v1");
        body.put("baselineVersion", baseline);
        body.put("metrics", Map.of("zeroshot.cls", 0.69, "pope.adversarial.fpr", 0.18));
        body.put(
                "thresholds",
                Map.of("zeroshot.cls", Map.of("direction", "higher", "absolute", -0.01)));
        body.put(
                "slices",
                List.of(
                        Map.of(
                                "slice",
                                "zeroshot/cls",
                                "passed",
                                true,
                                "metrics",
                                Map.of("accuracy", 0.69)),
                        Map.of(
                                "slice",
                                "pope/adversarial",
                                "passed",
                                passed,
                                "metrics",
                                Map.of("fpr", 0.18))));
        body.put("passed", passed);
        return body;
    }

    /** Records an evaluation; returns its id. */
    static String evaluate(String model, int version, boolean passed) {
        return json(Roles.EVALUATE)
                .body(evaluationBody(passed, null))
                .post("/api/v1/models/" + model + "/versions/" + version + "/evaluations")
                .then()
                .statusCode(201)
                .body("passed", equalTo(passed))
                .extract()
                .path("id");
    }

    static Response moveAlias(String model, String alias, int version, String reason) {
        return json(Roles.ALIAS)
                .body(Map.of("version", version, "reason", reason))
                .put("/api/v1/models/" + model + "/aliases/" + alias);
    }
}
