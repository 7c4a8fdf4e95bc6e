package eagle.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import eagle.client.Sha256;
import eagle.client.Version;
import eagle.core.image.ImagePreprocessor;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.core.model.ImageFeatures;
import eagle.core.model.MetadataKeys;
import eagle.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The gateway against the real registry (a child process on the shared PostgreSQL and Kafka, see
 * {@link RegistryResource}). Each test works on a model of its own, created with version 1 blessed
 * and in production; the polling-fallback test stops Kafka and therefore runs last.
 */
@QuarkusTest
@QuarkusTestResource(RegistryResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MOVE_WITHIN = Duration.ofSeconds(90);

    @ConfigProperty(name = RegistryResource.REGISTRY_URL)
    String registryUrl;

    @TestHTTPResource("/")
    URL gateway;

    @Inject ArtifactCache cache;

    @Inject ProductionEncoders encoders;

    @Inject ProductionPoller poller;

    private RegistryApi registry() {
        return new RegistryApi(registryUrl + "/api/v1");
    }

    private static RequestSpecification authed() {
        return RestAssured.given().header("Authorization", "Bearer " + RegistryResource.READ_TOKEN);
    }

    @Test
    @Order(1)
    void seedModelLoadedAtStartAndReportedReady() {
        assertNotNull(
                encoders.peek(RegistryResource.SEED_MODEL),
                "eagle.gateway.models are loaded at start");
        RestAssured.get("/q/health/ready")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("version 1"));
    }

    @Test
    @Order(2)
    void metadataWeightsRangesAndConditionalGets() throws Exception {
        String model = "gw-meta";
        Path v1 = registry().modelInProduction(model, RegistryResource.modelsDir(), 11);
        byte[] bytes = Files.readAllBytes(v1);
        String sha = Sha256.of(bytes);

        Response meta = authed().get("/v1/encoders/" + model);
        meta.then().statusCode(200);
        JsonNode m = JSON.readTree(meta.asByteArray());
        assertEquals(1, m.get("version").asInt());
        assertEquals(sha, m.get("sha256").asText());
        assertEquals(bytes.length, m.get("sizeBytes").asLong());
        assertEquals(
                RegistryApi.tinySpec(),
                EncoderSpec.fromJson(m.get("architecture").toString()),
                "the registry's architecture is the version's EncoderSpec");
        assertEquals(
                ClipConfig.tiny().vision().width(),
                m.get("clipConfig").get("vision").get("width").asInt());
        assertTrue(m.get("evaluation").get("passed").asBoolean());
        assertEquals("gw-suite-v1", m.get("evaluation").get("suiteId").asText());
        assertEquals("/v1/encoders/" + model + "/weights", m.get("links").get("weights").asText());
        String etag = meta.header("ETag");
        assertEquals("\"" + Sha256.of(meta.asByteArray()) + "\"", etag);
        assertEquals("1", meta.header(FileResponses.VERSION));
        assertEquals(sha, meta.header(FileResponses.SHA256));
        authed().header("If-None-Match", etag)
                .get("/v1/encoders/" + model)
                .then()
                .statusCode(304)
                .header(FileResponses.VERSION, "1")
                .header(FileResponses.SHA256, sha);

        Response w = authed().get("/v1/encoders/" + model + "/weights");
        w.then()
                .statusCode(200)
                .header("ETag", "\"" + sha + "\"")
                .header(FileResponses.VERSION, "1")
                .header(FileResponses.SHA256, sha)
                .header("Accept-Ranges", "bytes");
        assertArrayEquals(bytes, w.asByteArray());
        authed().header("If-None-Match", "\"other\", \"" + sha + "\"")
                .get("/v1/encoders/" + model + "/weights")
                .then()
                .statusCode(304)
                .header(FileResponses.VERSION, "1")
                .header(FileResponses.SHA256, sha);

        Response part =
                authed().header("Range", "bytes=10-109").get("/v1/encoders/" + model + "/weights");
        part.then()
                .statusCode(206)
                .header("Content-Range", "bytes 10-109/" + bytes.length)
                .header(FileResponses.VERSION, "1");
        assertArrayEquals(Arrays.copyOfRange(bytes, 10, 110), part.asByteArray());
        Response suffix =
                authed().header("Range", "bytes=-8").get("/v1/encoders/" + model + "/weights");
        assertArrayEquals(
                Arrays.copyOfRange(bytes, bytes.length - 8, bytes.length), suffix.asByteArray());
        authed().header("Range", "bytes=0-3")
                .header("If-Range", "\"stale\"")
                .get("/v1/encoders/" + model + "/weights")
                .then()
                .statusCode(200);
        authed().header("Range", "bytes=" + bytes.length + "-")
                .get("/v1/encoders/" + model + "/weights")
                .then()
                .statusCode(416)
                .header("Content-Range", "bytes */" + bytes.length)
                .header(FileResponses.SHA256, sha);

        // the file is OpenAI CLIP's state dict: exactly the names and shapes of
        // ClipConfig.parameterShapes()
        Path served = Files.createTempFile(RegistryResource.modelsDir(), "served", ".safetensors");
        Files.write(served, w.asByteArray());
        Safetensors.requireShapes(
                "served",
                ClipConfig.tiny().parameterShapes(),
                Safetensors.readHeader(served).shapes());
        assertTrue(
                Safetensors.readHeader(served)
                        .shapes()
                        .containsKey("visual.transformer.resblocks.0.attn.in_proj_weight"));
        Files.delete(served);

        // the image tower alone: VisionTransformer's own names (visual. removed), same values, its
        // own digest
        Response vis = authed().get("/v1/encoders/" + model + "/visual/weights");
        vis.then()
                .statusCode(200)
                .header(FileResponses.VERSION, "1")
                .header(FileResponses.SHA256, sha);
        assertEquals("\"" + Sha256.of(vis.asByteArray()) + "\"", vis.header("ETag"));
        Path tower = Files.createTempFile(RegistryResource.modelsDir(), "visual", ".safetensors");
        Files.write(tower, vis.asByteArray());
        Map<String, Safetensors.Tensor> towerTensors = Safetensors.readAll(tower);
        Map<String, Safetensors.Tensor> full = Safetensors.readAll(v1);
        long visualCount = full.keySet().stream().filter(k -> k.startsWith("visual.")).count();
        assertEquals(visualCount, towerTensors.size());
        for (String k :
                List.of(
                        "conv1.weight",
                        "class_embedding",
                        "positional_embedding",
                        "ln_pre.weight",
                        "transformer.resblocks.3.mlp.c_proj.bias",
                        "ln_post.bias",
                        "proj")) {
            assertArrayEquals(full.get("visual." + k).values(), towerTensors.get(k).values(), k);
            assertArrayEquals(full.get("visual." + k).shape(), towerTensors.get(k).shape(), k);
        }
        assertEquals(
                ClipConfig.tiny(),
                ClipConfig.fromJson(
                        Safetensors.readHeader(tower).metadata().get(MetadataKeys.CLIP_CONFIG)),
                "the tower carries its architecture");
        assertEquals(
                RegistryApi.tinySpec(),
                EncoderSpec.fromMetadata(Safetensors.readHeader(tower).metadata()),
                "and its whole spec");
        Files.delete(tower);

        // by number: blessed → served (immutable); registered but not blessed → 409; unknown model
        // → 404
        authed().get("/v1/encoders/" + model + "/versions/1/weights")
                .then()
                .statusCode(200)
                .header("ETag", "\"" + sha + "\"")
                .header("Cache-Control", org.hamcrest.Matchers.containsString("immutable"));
        int v2 =
                registry()
                        .registerAndUpload(
                                model, RegistryApi.tinyModel(RegistryResource.modelsDir(), 12), 1);
        authed().get("/v1/encoders/" + model + "/versions/" + v2 + "/weights")
                .then()
                .statusCode(409)
                .body("code", org.hamcrest.Matchers.equalTo("NOT_BLESSED"));
        authed().get("/v1/encoders/no-such-model").then().statusCode(404);
        authed().get("/v1/encoders/Bad..Name")
                .then()
                .statusCode(400)
                .body("code", org.hamcrest.Matchers.equalTo("BAD_NAME"));
    }

    @Test
    @Order(3)
    void huggingFaceFilesEachWithTheirOwnDigest() throws Exception {
        String model = "gw-hf";
        Path v1 = registry().modelInProduction(model, RegistryResource.modelsDir(), 21);
        List<String> tags = new ArrayList<>();
        for (String file : LoadedEncoder.HF_FILES) {
            Response r = authed().get("/v1/encoders/" + model + "/hf/" + file);
            r.then()
                    .statusCode(200)
                    .header(FileResponses.VERSION, "1")
                    .header(FileResponses.SHA256, Sha256.of(v1));
            String digest = Sha256.of(r.asByteArray());
            assertEquals("\"" + digest + "\"", r.header("ETag"));
            assertEquals(digest, r.header(FileResponses.FILE_SHA256));
            authed().header("If-None-Match", r.header("ETag"))
                    .get("/v1/encoders/" + model + "/hf/" + file)
                    .then()
                    .statusCode(304);
            tags.add(digest);
        }
        assertEquals(3, tags.stream().distinct().count());
        JsonNode config =
                JSON.readTree(
                        authed().get("/v1/encoders/" + model + "/hf/config.json").asByteArray());
        assertEquals("clip", config.get("model_type").asText());
        assertEquals(
                ClipConfig.tiny().vision().imageSize(),
                config.get("vision_config").get("image_size").asInt());
        Path hfWeights = Files.createTempFile(RegistryResource.modelsDir(), "hf", ".safetensors");
        Files.write(
                hfWeights,
                authed().get("/v1/encoders/" + model + "/hf/model.safetensors").asByteArray());
        assertTrue(
                Safetensors.readHeader(hfWeights).shapes().containsKey("visual_projection.weight"));
        Files.delete(hfWeights);
        authed().get("/v1/encoders/" + model + "/hf/pytorch_model.bin")
                .then()
                .statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("UNKNOWN_FILE"));
    }

    @Test
    @Order(3)
    void anEvaEncoderIsServedInItsOwnAndLavisLayoutsAndHasNoHuggingFaceFolder() throws Exception {
        String model = "gw-eva";
        RegistryApi reg = registry();
        EncoderSpec spec = RegistryApi.evaTinySpec();
        Path v1 = RegistryApi.evaTinyModel(RegistryResource.modelsDir(), 41);
        reg.createModel(model);
        int v = reg.registerAndUpload(model, v1, null, spec);
        reg.evaluate(model, v, true);
        reg.promote(model, v);
        String sha = Sha256.of(v1);

        JsonNode m =
                JSON.readTree(
                        authed().get("/v1/encoders/" + model)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asByteArray());
        assertEquals(spec, EncoderSpec.fromJson(m.get("architecture").toString()));
        assertEquals(ClipConfig.EVA01_CLIP, m.get("clipConfig").get("visionFamily").asText());
        String href = "/v1/encoders/" + model + "/lavis/" + LoadedEncoder.LAVIS_FILE;
        assertEquals(
                href,
                m.get("links").get("lavis").get(LoadedEncoder.LAVIS_FILE).get("href").asText());
        assertTrue(m.get("links").get("hf") == null, "an EVA encoder lists no Hugging Face folder");
        assertArrayEquals(
                Files.readAllBytes(v1),
                authed().get("/v1/encoders/" + model + "/weights").asByteArray());

        // LAVIS's visual_encoder.* layout: its own digest, and exactly LavisEvaFile's renaming of
        // the version's tensors
        Response lavis = authed().get(href);
        lavis.then()
                .statusCode(200)
                .header(FileResponses.VERSION, "1")
                .header(FileResponses.SHA256, sha);
        String digest = Sha256.of(lavis.asByteArray());
        assertNotEquals(sha, digest);
        assertEquals("\"" + digest + "\"", lavis.header("ETag"));
        assertEquals(digest, lavis.header(FileResponses.FILE_SHA256));
        authed().header("If-None-Match", lavis.header("ETag")).get(href).then().statusCode(304);
        Path lavisFile =
                Files.createTempFile(RegistryResource.modelsDir(), "lavis", ".safetensors");
        Files.write(lavisFile, lavis.asByteArray());
        Map<String, Safetensors.Tensor> served = Safetensors.readAll(lavisFile);
        Map<String, Safetensors.Tensor> full = Safetensors.readAll(v1);
        Map<String, Safetensors.Tensor> expected =
                eagle.core.hf.LavisEvaFile.toLavis(full, spec.config());
        assertEquals(expected.keySet(), served.keySet());
        assertTrue(served.containsKey("visual_encoder.blocks.0.attn.qkv.weight"));
        assertTrue(
                !served.containsKey("visual_encoder.blocks.1.attn.qkv.weight"),
                "LAVIS drops the last block");
        Map<String, Safetensors.Tensor> back =
                eagle.core.hf.LavisEvaFile.fromLavis(served, spec.config(), "served");
        for (var e : back.entrySet()) {
            assertArrayEquals(full.get(e.getKey()).values(), e.getValue().values(), e.getKey());
            assertArrayEquals(full.get(e.getKey()).shape(), e.getValue().shape(), e.getKey());
        }
        Files.delete(lavisFile);
        authed().get("/v1/encoders/" + model + "/lavis/eva_vit_g.pth")
                .then()
                .statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("UNKNOWN_FILE"));

        // the image tower alone in EVA-CLIP's EVAVisionTransformer names, never OpenAI's
        Response vis = authed().get("/v1/encoders/" + model + "/visual/weights");
        vis.then().statusCode(200);
        Path tower =
                Files.createTempFile(RegistryResource.modelsDir(), "eva-visual", ".safetensors");
        Files.write(tower, vis.asByteArray());
        Map<String, Safetensors.Tensor> towerTensors = Safetensors.readAll(tower);
        assertTrue(!towerTensors.containsKey("conv1.weight"));
        for (String k :
                List.of(
                        "patch_embed.proj.weight",
                        "cls_token",
                        "pos_embed",
                        "blocks.1.attn.qkv.weight",
                        "blocks.1.attn.q_bias",
                        "norm.weight",
                        "head.weight")) {
            assertArrayEquals(full.get("visual." + k).values(), towerTensors.get(k).values(), k);
        }
        assertEquals(spec, EncoderSpec.fromMetadata(Safetensors.readHeader(tower).metadata()));
        Files.delete(tower);

        // no Hugging Face folder for EVA; no LAVIS file for an OpenAI-CLIP encoder
        authed().get("/v1/encoders/" + model + "/hf/config.json")
                .then()
                .statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("NO_HF_LAYOUT"));
        authed().get(
                        "/v1/encoders/"
                                + RegistryResource.SEED_MODEL
                                + "/lavis/"
                                + LoadedEncoder.LAVIS_FILE)
                .then()
                .statusCode(404)
                .body("code", org.hamcrest.Matchers.equalTo("NO_LAVIS_LAYOUT"));
    }

    @Test
    @Order(4)
    void promotionIsSeenBySseAndPollingClientsAndRollbackIsInstant() throws Exception {
        String model = "gw-promo";
        RegistryApi reg = registry();
        Path v1 = reg.modelInProduction(model, RegistryResource.modelsDir(), 31);
        Path v2file = RegistryApi.tinyModel(RegistryResource.modelsDir(), 32);

        // the polling client's first answer and its ETag
        Response first = authed().get("/v1/encoders/" + model);
        String etag1 = first.header("ETag");
        authed().header("If-None-Match", etag1).get("/v1/encoders/" + model).then().statusCode(304);

        try (SseClient sse =
                new SseClient(URI.create(gateway + "v1/encoders/" + model + "/events"))) {
            JsonNode current = sse.next();
            assertEquals("CURRENT", current.get("type").asText());
            assertEquals(1, current.get("version").asInt());

            int v2 = reg.registerAndUpload(model, v2file, 1);
            reg.evaluate(model, v2, true);
            reg.promote(model, v2);

            JsonNode moved = sse.next();
            assertEquals("MOVED", moved.get("type").asText());
            assertEquals(v2, moved.get("version").asInt());
            assertEquals(Sha256.of(v2file), moved.get("sha256").asText());
            assertEquals(1, moved.get("previousVersion").asInt());
            assertEquals(
                    "kafka",
                    moved.get("cause").asText(),
                    "the poll interval is 1 h: the move came through Kafka");

            // the polling client: 304 until the move, then 200 with the new version and a new ETag
            Response after = authed().header("If-None-Match", etag1).get("/v1/encoders/" + model);
            after.then().statusCode(200).header(FileResponses.VERSION, String.valueOf(v2));
            assertNotEquals(etag1, after.header("ETag"));
            assertEquals(1, JSON.readTree(after.asByteArray()).get("previousVersion").asInt());
            assertArrayEquals(
                    Files.readAllBytes(v2file),
                    authed().get("/v1/encoders/" + model + "/weights").asByteArray());

            // rollback: version 1 is still loaded, so it swaps back without a download
            double fetches = cache.fetches();
            reg.rollback(model);
            JsonNode back = sse.next();
            assertEquals(1, back.get("version").asInt());
            assertEquals(v2, back.get("previousVersion").asInt());
            assertEquals(fetches, cache.fetches());
            assertArrayEquals(
                    Files.readAllBytes(v1),
                    authed().get("/v1/encoders/" + model + "/weights").asByteArray());
        }
    }

    @Test
    @Order(5)
    void tamperedCachedArtifactIsRefusedAndFetchedAgain() throws Exception {
        String model = "gw-tamper";
        Path v1 = registry().modelInProduction(model, RegistryResource.modelsDir(), 41);
        byte[] original = Files.readAllBytes(v1);
        String sha = Sha256.of(original);
        authed().get("/v1/encoders/" + model + "/weights").then().statusCode(200);
        Path cached = cache.pathOf(sha);
        assertArrayEquals(original, Files.readAllBytes(cached));

        cached.toFile().setWritable(true);
        try (RandomAccessFile f = new RandomAccessFile(cached.toFile(), "rw")) {
            f.seek(original.length / 2);
            int b = f.read();
            f.seek(original.length / 2);
            f.write(b ^ 0x01); // one bit flipped, size unchanged
        }
        assertNotEquals(sha, Sha256.of(cached));
        double refusals = cache.refusals();
        double fetches = cache.fetches();

        Response r = authed().get("/v1/encoders/" + model + "/weights");
        r.then().statusCode(200).header("ETag", "\"" + sha + "\"");
        assertArrayEquals(original, r.asByteArray(), "the tampered bytes were never served");
        assertEquals(refusals + 1, cache.refusals());
        assertEquals(fetches + 1, cache.fetches());
        assertEquals(sha, Sha256.of(cached), "the cache holds the registry's bytes again");
    }

    @Test
    @Order(6)
    void concurrentDownloadsAcrossAPromotionEachGetOneConsistentVersion() throws Exception {
        String model = "gw-concurrent";
        RegistryApi reg = registry();
        Path v1 = reg.modelInProduction(model, RegistryResource.modelsDir(), 51);
        Path v2file = RegistryApi.tinyModel(RegistryResource.modelsDir(), 52);
        Map<String, Integer> versionOf = Map.of(Sha256.of(v1), 1, Sha256.of(v2file), 2);
        URI weights = URI.create(gateway + "v1/encoders/" + model + "/weights");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get =
                HttpRequest.newBuilder(weights)
                        .header("Authorization", "Bearer " + RegistryResource.READ_TOKEN)
                        .build();

        // 6 downloads opened before the move: headers received and the first byte read, the rest
        // left unread
        List<HttpResponse<InputStream>> before = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<InputStream> r = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().read() >= 0);
            before.add(r);
        }
        int v2 = reg.registerAndUpload(model, v2file, 1);
        reg.evaluate(model, v2, true);
        reg.promote(model, v2);
        await().atMost(MOVE_WITHIN).until(() -> encoders.peek(model).current().version() == v2);

        // 6 more started after the move, all 12 read to the end concurrently
        List<CompletableFuture<HttpResponse<byte[]>>> after = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            after.add(http.sendAsync(get, HttpResponse.BodyHandlers.ofByteArray()));
        }
        List<CompletableFuture<String[]>> readsBefore =
                before.stream()
                        .map(
                                r ->
                                        CompletableFuture.supplyAsync(
                                                () -> {
                                                    try (InputStream in = r.body()) {
                                                        byte[] rest = in.readAllBytes();
                                                        return new String[] {
                                                            r.headers()
                                                                    .firstValue(
                                                                            FileResponses.SHA256)
                                                                    .orElseThrow(),
                                                            r.headers()
                                                                    .firstValue(
                                                                            FileResponses.VERSION)
                                                                    .orElseThrow(),
                                                            String.valueOf(rest.length),
                                                            r.headers()
                                                                    .firstValue("ETag")
                                                                    .orElseThrow()
                                                        };
                                                    } catch (IOException e) {
                                                        throw new IllegalStateException(e);
                                                    }
                                                }))
                        .toList();
        long size1 = Files.size(v1);
        for (CompletableFuture<String[]> f : readsBefore) {
            String[] h = f.get(60, TimeUnit.SECONDS);
            assertEquals(
                    Sha256.of(v1),
                    h[0],
                    "a download started before the move finishes with version 1");
            assertEquals("1", h[1]);
            assertEquals(size1 - 1, Long.parseLong(h[2]));
            assertEquals("\"" + h[0] + "\"", h[3]);
        }
        for (CompletableFuture<HttpResponse<byte[]>> f : after) {
            HttpResponse<byte[]> r = f.get(60, TimeUnit.SECONDS);
            String headerSha = r.headers().firstValue(FileResponses.SHA256).orElseThrow();
            assertEquals(Sha256.of(r.body()), headerSha, "body and its digest header agree");
            assertEquals(v2, versionOf.get(headerSha));
            assertEquals(
                    String.valueOf(v2),
                    r.headers().firstValue(FileResponses.VERSION).orElseThrow());
        }
    }

    @Test
    @Order(7)
    void embedEqualsTheCoreLibrary() throws Exception {
        String model = "gw-embed";
        Path v1 = registry().modelInProduction(model, RegistryResource.modelsDir(), 61);
        BufferedImage image =
                new BufferedImage(90, 70, BufferedImage.TYPE_INT_RGB); // not square: resize + crop
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, 90, 70);
        g.setColor(new Color(240, 200, 20));
        g.fillOval(20, 10, 40, 35);
        g.dispose();
        for (String format : new String[] {"png", "jpeg"}) {
            ByteArrayOutputStream encoded = new ByteArrayOutputStream();
            ImageIO.write(image, format, encoded);
            byte[] body = encoded.toByteArray();

            Response r =
                    authed().contentType("image/" + format)
                            .body(body)
                            .post("/v1/encoders/" + model + "/embed");
            r.then()
                    .statusCode(200)
                    .header(FileResponses.VERSION, "1")
                    .header(FileResponses.SHA256, Sha256.of(v1));
            JsonNode out = JSON.readTree(r.asByteArray());

            ClipConfig c = ClipConfig.tiny();
            try (ClipModel clip = ClipModel.load(v1, Device.cpu());
                    NDManager m = NDManager.newBaseManager(Device.cpu())) {
                BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(body));
                NDArray pixels =
                        new ImagePreprocessor(c.vision().imageSize()).batch(List.of(decoded), m);
                ImageFeatures f = clip.encodeImage(pixels);
                float[] cls = f.cls().toFloatArray();
                float[] patches = f.patches().toFloatArray();
                assertEquals(c.embedDim(), out.get("dim").asInt());
                assertEquals(c.vision().grid(), out.get("grid").get(0).asInt());
                assertEquals(c.vision().grid(), out.get("grid").get(1).asInt());
                assertEquals(c.embedDim(), out.get("cls").size());
                assertEquals(c.vision().numPatches(), out.get("patches").size());
                for (int d = 0; d < cls.length; d++) {
                    assertEquals(
                            cls[d],
                            (float) out.get("cls").get(d).asDouble(),
                            1e-6,
                            "cls[" + d + "] (" + format + ")");
                }
                int dim = c.embedDim();
                for (int p = 0; p < c.vision().numPatches(); p++) {
                    JsonNode row = out.get("patches").get(p);
                    for (int d = 0; d < dim; d++) {
                        assertEquals(
                                patches[p * dim + d],
                                (float) row.get(d).asDouble(),
                                1e-6,
                                "patch " + p + ", " + d);
                    }
                }
            }
        }
        authed().contentType("image/png")
                .body(new byte[] {1, 2, 3})
                .post("/v1/encoders/" + model + "/embed")
                .then()
                .statusCode(400)
                .body("code", org.hamcrest.Matchers.equalTo("BAD_IMAGE"));
        authed().contentType("text/plain")
                .body("x")
                .post("/v1/encoders/" + model + "/embed")
                .then()
                .statusCode(415);
    }

    @Test
    @Order(8)
    void aProductionVersionThatCannotLoadIsNotReplacedByServingTheOldOne() throws Exception {
        String model = "gw-unloadable";
        RegistryApi reg = registry();
        Path v1 = reg.modelInProduction(model, RegistryResource.modelsDir(), 81);
        authed().get("/v1/encoders/" + model + "/weights")
                .then()
                .statusCode(200)
                .header(FileResponses.VERSION, "1");
        Path garbage = RegistryResource.modelsDir().resolve("not-a-clip.safetensors");
        byte[] noise = new byte[4096];
        new java.util.Random(81).nextBytes(noise);
        Files.write(garbage, noise);
        int v2 = reg.registerAndUpload(model, garbage, 1);
        reg.evaluate(model, v2, true);
        reg.promote(model, v2);

        // production names v2, which is no CLIP: v1 is no longer production, so it is not served
        // either
        await().atMost(MOVE_WITHIN)
                .until(
                        () ->
                                authed().get("/v1/encoders/" + model + "/weights").statusCode()
                                        == 503);
        authed().get("/v1/encoders/" + model + "/weights")
                .then()
                .statusCode(503)
                .body("code", org.hamcrest.Matchers.equalTo("PRODUCTION_NOT_LOADED"))
                .body("reason", org.hamcrest.Matchers.containsString("ARTIFACT_UNUSABLE"));
        RestAssured.get("/q/health/ready").then().statusCode(503);

        reg.rollback(model); // back to v1, still loaded
        await().atMost(MOVE_WITHIN)
                .until(
                        () ->
                                authed().get("/v1/encoders/" + model + "/weights").statusCode()
                                        == 200);
        Response back = authed().get("/v1/encoders/" + model + "/weights");
        back.then().header(FileResponses.VERSION, "1");
        assertArrayEquals(Files.readAllBytes(v1), back.asByteArray());
        RestAssured.get("/q/health/ready").then().statusCode(200);
    }

    @Test
    @Order(9)
    void readAccessNeedsTheTokenWhileHealthMetricsAndOpenApiStayOpen() {
        RestAssured.get("/v1/encoders/" + RegistryResource.SEED_MODEL)
                .then()
                .statusCode(401)
                .body("code", org.hamcrest.Matchers.equalTo("MISSING_TOKEN"));
        RestAssured.given()
                .header("Authorization", "Bearer wrong")
                .get("/v1/encoders/" + RegistryResource.SEED_MODEL + "/weights")
                .then()
                .statusCode(401)
                .body("code", org.hamcrest.Matchers.equalTo("BAD_TOKEN"));
        authed().get("/v1/encoders/" + RegistryResource.SEED_MODEL).then().statusCode(200);
        // a download is counted with its bytes, whichever path served it
        String downloads = "gateway_downloads_total{file=\"weights\",status=\"200\"}";
        String bytes = "gateway_download_bytes_total{file=\"weights\"}";
        double before = metric(downloads);
        double bytesBefore = metric(bytes);
        int size =
                authed().get("/v1/encoders/" + RegistryResource.SEED_MODEL + "/weights")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray()
                        .length;
        assertEquals(before + 1, metric(downloads));
        assertEquals(bytesBefore + size, metric(bytes));
        RestAssured.get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("gateway_embed_seconds_bucket"))
                .body(org.hamcrest.Matchers.containsString("gateway_artifact_fetched_total"))
                .body(
                        org.hamcrest.Matchers.containsString(
                                "gateway_production_version{model=\""
                                        + RegistryResource.SEED_MODEL
                                        + "\"} 1.0"));
        RestAssured.get("/q/openapi")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/v1/encoders/{name}/weights"));
    }

    @Test
    @Order(10)
    void pollingFindsAMoveWhileKafkaIsDown() throws Exception {
        String model = "gw-poll";
        RegistryApi reg = registry();
        reg.modelInProduction(model, RegistryResource.modelsDir(), 71);
        authed().get("/v1/encoders/" + model)
                .then()
                .statusCode(200)
                .header(FileResponses.VERSION, "1");
        Path v2file = RegistryApi.tinyModel(RegistryResource.modelsDir(), 72);
        int v2 = reg.registerAndUpload(model, v2file, 1);
        reg.evaluate(model, v2, true);
        SharedInfra.stopKafka();
        try {
            reg.promote(model, v2); // the registry's outbox holds the event while Kafka is down
            assertEquals(1, encoders.peek(model).current().version(), "no event can have arrived");
            Map<String, String> outcome = poller.pollOnce("poll");
            assertEquals("moved to " + v2, outcome.get(model));
            assertEquals("unchanged", outcome.get(RegistryResource.SEED_MODEL));
            authed().get("/v1/encoders/" + model)
                    .then()
                    .statusCode(200)
                    .header(FileResponses.VERSION, String.valueOf(v2));
        } finally {
            SharedInfra.restartKafka();
        }
    }

    /**
     * SPEC16, Gateway: the encoder is built from the spec its weights carry; one whose spec cannot
     * be told is refused.
     */
    @Test
    @Order(11)
    void theEncoderIsBuiltFromTheSpecItsWeightsCarry() throws Exception {
        Path dir = RegistryResource.modelsDir();
        Path file = RegistryApi.tinyModel(dir, 91);
        Path hf = dir.resolve("spec-hf-" + System.nanoTime());
        try (LoadedEncoder e =
                LoadedEncoder.load(unregistered(file), MissingNode.getInstance(), file, hf)) {
            assertEquals(RegistryApi.tinySpec(), e.spec());
            assertEquals(ClipConfig.tiny(), e.clipConfig());
        }
        Path noTokenizer = dir.resolve("no-tokenizer.safetensors");
        try (ClipModel m = ClipModel.create(ClipConfig.tiny(), Device.cpu(), 92)) {
            m.save(noTokenizer); // the config only: a 256-word text tower without eagle.tokenizer
        }
        GatewayException refused =
                assertThrows(
                        GatewayException.class,
                        () ->
                                LoadedEncoder.load(
                                        unregistered(noTokenizer),
                                        MissingNode.getInstance(),
                                        noTokenizer,
                                        dir.resolve("spec-hf-refused")));
        assertEquals("ARTIFACT_UNUSABLE", refused.code());
        assertTrue(refused.getMessage().contains(MetadataKeys.TOKENIZER), refused.getMessage());
    }

    private static Version unregistered(Path file) throws IOException {
        return new Version(
                "spec-check",
                1,
                null,
                Sha256.of(file),
                Files.size(file),
                "safetensors",
                MissingNode.getInstance(),
                Version.READY,
                null,
                MissingNode.getInstance());
    }

    /** A server-sent-events client: each {@code data:} line's JSON, in order. */
    static final class SseClient implements AutoCloseable {
        private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;

        SseClient(URI uri) {
            HttpRequest r =
                    HttpRequest.newBuilder(uri)
                            .header("Accept", "text/event-stream")
                            .header("Authorization", "Bearer " + RegistryResource.READ_TOKEN)
                            .build();
            response = HttpClient.newHttpClient().sendAsync(r, HttpResponse.BodyHandlers.ofLines());
            response.thenAccept(
                    resp ->
                            resp.body()
                                    .forEach(
                                            line -> {
                                                if (line.startsWith("data:")) {
                                                    try {
                                                        events.add(
                                                                JSON.readTree(
                                                                        line.substring(5).trim()));
                                                    } catch (IOException e) {
                                                        throw new IllegalStateException(
                                                                "not JSON: " + line, e);
                                                    }
                                                }
                                            }));
        }

        JsonNode next() throws InterruptedException {
            JsonNode e = events.poll(MOVE_WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(e, "no server-sent event within " + MOVE_WITHIN);
            return e;
        }

        @Override
        public void close() {
            response.cancel(true);
            response.thenAccept(r -> r.body().close());
        }
    }

    /**
     * A sample's value in /q/metrics (0 when absent); {@code sample} is the name with its labels.
     */
    private static double metric(String sample) {
        return RestAssured.get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(l -> l.startsWith(sample + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1)))
                .findFirst()
                .orElse(0.0);
    }
}
