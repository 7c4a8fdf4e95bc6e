package eagle.trainer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.Version;
import eagle.contracts.CandidateEvent;
import eagle.contracts.OffsetRange;
import eagle.infra.DevJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service end to end: samples published to the real broker become a round whose candidate
 * appears in the real registry (a child process) with the embedded base as parent and a manifest
 * naming exactly the consumed offsets; a sample with a corrupt blob is skipped and counted.
 */
@QuarkusTest
@QuarkusTestResource(RegistryProcessResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerEndToEndTest {

    @ConfigProperty(name = "eagle.trainer.blob-root")
    Path blobs;

    @ConfigProperty(name = "eagle.trainer.registry.url")
    String registryUrl;

    @ConfigProperty(name = "eagle.trainer.registry.token")
    String token;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode registryGet(String path) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                registryUrl
                                                        + "/api/v1/models/"
                                                        + RegistryProcessResource.MODEL
                                                        + path))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    @Test
    @Order(1)
    void publishedSamplesBecomeACandidateVersionWithTheirExactOffsets() throws Exception {
        JsonPath initial =
                given().get("/api/v1/status").then().statusCode(200).extract().jsonPath();
        assertEquals("cpu()", initial.getString("device"));
        // /q/metrics before any sample: the trainer_* meters are there, nothing counted yet
        String before = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(0.0, metric(before, "trainer_steps_total"));
        assertEquals(0.0, metric(before, "trainer_round_duration_seconds_count"));
        assertEquals(0.0, metric(before, "trainer_samples_consumed_total"));
        assertEquals(0.0, metric(before, "trainer_skipped_by_reason{reason=\"BAD_BLOB\"}"));
        assertTrue(Double.isNaN(metric(before, "trainer_loss{component=\"ins\"}")));

        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        String topic = RegistryProcessResource.TOPIC;
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            // a sample whose blob is corrupt: skipped, counted, the trainer keeps going
            sent.add(
                    producer.send(
                                    new ProducerRecord<>(
                                            topic, 0, "bad", TestWorld.corruptSample(blobs, "bad")))
                            .get(30, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> given().get("/api/v1/status").jsonPath().getLong("skipped") == 1);
            String reason = given().get("/api/v1/status").jsonPath().getString("lastSkipReason");
            assertTrue(reason.contains("corrupt"), reason);

            for (int i = 0; i < 6; i++) {
                String id = "e2e-" + i;
                sent.add(
                        producer.send(
                                        new ProducerRecord<>(
                                                topic,
                                                i % 2,
                                                id,
                                                TestWorld.sample(
                                                        blobs,
                                                        id,
                                                        i < 3 ? "red square" : "blue circle",
                                                        i)))
                                .get(30, TimeUnit.SECONDS));
            }
        }
        // partition 0: offsets 0 (bad), 1, 2, 3; partition 1: offsets 0, 1, 2
        long until0 =
                sent.stream()
                                .filter(m -> m.partition() == 0)
                                .mapToLong(RecordMetadata::offset)
                                .max()
                                .orElseThrow()
                        + 1;
        long until1 =
                sent.stream()
                                .filter(m -> m.partition() == 1)
                                .mapToLong(RecordMetadata::offset)
                                .max()
                                .orElseThrow()
                        + 1;
        long from0 =
                sent.stream()
                        .filter(m -> m.partition() == 0)
                        .mapToLong(RecordMetadata::offset)
                        .min()
                        .orElseThrow();
        long from1 =
                sent.stream()
                        .filter(m -> m.partition() == 1)
                        .mapToLong(RecordMetadata::offset)
                        .min()
                        .orElseThrow();

        JsonNode candidate =
                await().atMost(Duration.ofSeconds(300))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () -> {
                                    JsonNode versions = registryGet("/versions");
                                    if (versions == null) {
                                        return null;
                                    }
                                    for (JsonNode v : versions) {
                                        if (v.path("trainingRun")
                                                                .path("parameters")
                                                                .path("round")
                                                                .asInt()
                                                        == 1
                                                && Version.READY.equals(
                                                        v.path("status").asText())) {
                                            return v;
                                        }
                                    }
                                    return null;
                                },
                                v -> v != null);

        // the parent is the embedded base, registered as a root version by the trainer
        int parent = candidate.path("parentVersion").asInt();
        JsonNode base = registryGet("/versions/" + parent);
        assertNotNull(base);
        assertTrue(base.path("parentVersion").isNull(), base.toString());
        assertEquals(Version.READY, base.path("status").asText());

        List<OffsetRange> manifest = new ArrayList<>();
        candidate
                .path("trainingRun")
                .path("dataManifest")
                .forEach(n -> manifest.add(JSON.convertValue(n, OffsetRange.class)));
        assertEquals(
                List.of(
                        OffsetRange.of(topic, 0, from0, until0),
                        OffsetRange.of(topic, 1, from1, until1)),
                manifest);
        assertEquals(
                List.of(OffsetRange.of(topic, 0, 0, 4), OffsetRange.of(topic, 1, 0, 3)), manifest);
        JsonNode params = candidate.path("trainingRun").path("parameters");
        assertEquals(Candidate.manifestHash(manifest), params.path("manifestSha256").asText());
        assertEquals(3, params.path("lossCurve").size());
        assertEquals(8, params.path("training").path("galoreRank").asInt());
        assertEquals("safetensors", candidate.path("format").asText());

        // status: the round is done, the buffer holds both classes, the upload is accepted
        int version = candidate.path("version").asInt();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                // null until the upload is recorded
                                Integer.valueOf(version)
                                        .equals(
                                                given().get("/api/v1/status")
                                                        .jsonPath()
                                                        .get("lastCandidateVersion")));
        JsonPath status = given().get("/api/v1/status").jsonPath();
        assertEquals(1, status.getInt("completedRounds"));
        assertEquals(0, status.getInt("pendingUploads"));
        assertEquals(3, status.getInt("bufferFill.'red square'"));
        assertEquals(3, status.getInt("bufferFill.'blue circle'"));
        assertEquals(3, status.getList("lossCurve").size());
        assertEquals(3, status.getList("insCurve").size());
        assertEquals(3, status.getList("ceCurve").size());
        assertEquals(status.getDouble("lastLosses.ins"), status.getDouble("insCurve[2]"), 1e-4);
        assertNull(status.getString("error"));

        // the candidate event
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("group.id", "e2e-events");
        c.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(RegistryProcessResource.CANDIDATES));
            JsonNode event =
                    await().atMost(Duration.ofSeconds(60))
                            .until(
                                    () -> {
                                        for (ConsumerRecord<String, String> r :
                                                consumer.poll(Duration.ofMillis(500))) {
                                            return JSON.readTree(r.value());
                                        }
                                        return null;
                                    },
                                    e -> e != null);
            assertEquals(version, event.path("version").asInt());
            assertEquals(parent, event.path("parentVersion").asInt());
            assertEquals(candidate.path("sha256").asText(), event.path("sha256").asText());
            // the event is a CandidateEvent of the contracts (candidate-registered.v1.json), with
            // the round's manifest
            CandidateEvent typed = JSON.treeToValue(event, CandidateEvent.class);
            assertEquals(CandidateEvent.TYPE, typed.type());
            assertEquals(candidate.at("/trainingRun/dataManifest").size(), typed.manifest().size());
        }

        // the metrics endpoint carries the same progress: 3 steps, 1 round with its duration, the 6
        // samples, the skip,
        // the latest step's losses per component (docs/METHOD.md §3)
        String after = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(1.0, metric(after, "trainer_round"));
        assertEquals(3.0, metric(after, "trainer_steps_total"));
        assertEquals(3.0, metric(after, "trainer_step_duration_seconds_count"));
        assertTrue(metric(after, "trainer_step_duration_seconds_sum") > 0, after);
        assertEquals(1.0, metric(after, "trainer_round_duration_seconds_count"));
        assertTrue(
                metric(after, "trainer_round_duration_seconds_sum")
                        >= metric(after, "trainer_step_duration_seconds_sum"));
        assertEquals(6.0, metric(after, "trainer_samples_consumed_total"));
        assertEquals(1.0, metric(after, "trainer_skipped_by_reason{reason=\"BAD_BLOB\"}"));
        assertEquals(1.0, metric(after, "trainer_skipped"));
        double total = metric(after, "trainer_loss{component=\"total\"}");
        assertEquals(
                status.getDouble("lastLosses.total"), total, 1e-4); // the JSON path reads floats
        assertEquals(
                status.getDouble("lastLosses.ins"),
                metric(after, "trainer_loss{component=\"ins\"}"),
                1e-4);
        assertEquals(
                status.getDouble("lastLosses.ce"),
                metric(after, "trainer_loss{component=\"ce\"}"),
                1e-4);
        assertTrue(Double.isFinite(metric(after, "trainer_loss{component=\"retention\"}")));
        assertEquals(6.0, metric(after, "trainer_buffer_size"));
        assertEquals(0.0, metric(after, "trainer_pending_uploads"));
        assertEquals(0.0, metric(after, "trainer_failed"));
        assertTrue(
                after.lines().noneMatch(l -> l.startsWith("eagle_trainer")),
                "old eagle_trainer_* names remain");
    }

    /**
     * A Prometheus sample's value by its exact name and labels ({@code name{label="v"}}); fails
     * when absent.
     */
    private static double metric(String exposition, String key) {
        return exposition
                .lines()
                .filter(l -> !l.startsWith("#") && l.contains(" "))
                .filter(l -> l.substring(0, l.lastIndexOf(' ')).equals(key))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no " + key + " in /q/metrics:\n" + exposition));
    }

    /** /q/openapi answers and documents the status and rounds endpoints. */
    @Test
    @Order(3)
    void openApiListsTheStatusAndRoundsEndpoints() {
        JsonPath api =
                given().queryParam("format", "json")
                        .get("/q/openapi")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
        assertEquals("EAGLE trainer API", api.getString("info.title"));
        assertNotNull(api.get("paths.'/api/v1/status'.get"), "no GET /api/v1/status");
        assertNotNull(api.get("paths.'/api/v1/rounds'.post"), "no POST /api/v1/rounds");
    }

    /**
     * The engine's health check is part of liveness and readiness (DOWN when it fails:
     * FailedRoundTest).
     */
    @Test
    @Order(2)
    void livenessAndReadinessCarryTheEngineCheck() {
        for (String path : List.of("/q/health/live", "/q/health/ready")) {
            JsonPath health = given().get(path).then().statusCode(200).extract().jsonPath();
            assertEquals("UP", health.getString("status"));
            assertEquals(
                    "UP",
                    health.getString("checks.find { it.name == 'eagle-trainer-engine' }.status"),
                    path);
        }
    }

    /** Runs last: a round it requests cannot disturb the end-to-end test. */
    @Test
    @Order(Integer.MAX_VALUE)
    void startingARoundNeedsTheOperateRole() {
        given().when().post("/api/v1/rounds").then().statusCode(401);
        given().auth()
                .oauth2(DevJwt.mintWithForeignKey("operator", TrainerResource.OPERATE))
                .when()
                .post("/api/v1/rounds")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(DevJwt.mint("reader", "registry.read", "registry.register"))
                .when()
                .post("/api/v1/rounds")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(DevJwt.mint("operator", TrainerResource.OPERATE))
                .when()
                .post("/api/v1/rounds")
                .then()
                .statusCode(202);
        // reading the status needs no token
        given().when().get("/api/v1/status").then().statusCode(200);
    }
}
