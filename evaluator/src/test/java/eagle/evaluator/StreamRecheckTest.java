package eagle.evaluator;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.client.RegistryClient;
import eagle.contracts.Topics;
import eagle.evaluator.gate.GateConfig;
import eagle.evaluator.service.EvaluationPipeline;
import eagle.evaluator.service.EvaluationRecorder;
import eagle.evaluator.service.HeldOutSuite;
import eagle.evaluator.service.Outcome;
import eagle.evaluator.service.ReportWriter;
import eagle.evaluator.service.SuiteUnavailable;
import eagle.evaluator.service.VersionScorer;
import eagle.evaluator.stream.HeldOutFeed;
import eagle.infra.SharedInfra;
import eagle.scenes.Instance;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.Taxonomy;
import eagle.scenes.coco.CocoExport;
import eagle.scenes.suite.CocoSuiteConfig;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Re-checks on the stream's held-out split, end to end: the real registry (child process), the real
 * KRaft broker and PostgreSQL, samples on {@code eagle.samples.heldout.v1} with their images in a
 * blob folder, as ingest leaves them. One story, in order: an empty split records nothing; the base
 * v1 and v2 (the base with the words "red" and "blue" swapped in its text tower: identical on a
 * split without red or blue objects) are promoted on a split of green and yellow scenes; the split
 * grows by less than the configured amount (no new version), then by enough with more green and
 * yellow scenes (re-check passes, production unchanged), then with red and blue scenes (v2 now
 * fails against v1 and is rolled back through the registry; v1 then passes against the base); a
 * COCO set with a missing image, an unknown category, a malformed polygon or RLE records nothing
 * and leaves production alone.
 */
@QuarkusTest
@TestProfile(StreamSuiteProfile.class)
@QuarkusTestResource(RegistryProcessResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamRecheckTest {

    static final String MODEL = "stream-clip";

    /** only green and yellow objects: prompts the swap leaves alone */
    static final Predicate<Instance> COOL =
            i -> i.className().contains("green") || i.className().contains("yellow");

    @Inject EvaluationPipeline pipeline;

    @Inject SuiteRecheckSchedule schedule;

    static RegistryFixture registry;
    static KafkaProducer<String, String> producer;
    static int v1;
    static int v2;
    static String versionA;
    static String versionB;
    static long nextSeed = 10_000;

    @BeforeAll
    static void setUp() throws IOException {
        deleteTree(StreamSuiteProfile.BLOBS);
        deleteTree(StreamSuiteProfile.WORK);
        registry =
                new RegistryFixture(
                        RegistryProcessResource.url, RegistryProcessResource.registerToken);
        registry.createModel(MODEL);
        SharedInfra.createTopic(Topics.HELD_OUT_SAMPLES, 2, true);
        Properties p = new Properties();
        p.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void tearDown() {
        if (producer != null) {
            producer.close();
        }
    }

    /** Puts {@code n} new scenes whose objects pass {@code keep} on the held-out topic. */
    private static void feed(int n, Predicate<Instance> keep) throws Exception {
        List<Scene> scenes = HeldOutFeed.scenes(nextSeed, n, keep);
        nextSeed = scenes.get(scenes.size() - 1).seed() + 1;
        for (Scene s : scenes) {
            HeldOutFeed.Sample h = HeldOutFeed.sample(s, StreamSuiteProfile.BLOBS);
            producer.send(new ProducerRecord<>(Topics.HELD_OUT_SAMPLES, h.imageId(), h.json()))
                    .get();
        }
    }

    private static JsonNode last(int version) throws Exception {
        JsonNode all = registry.evaluations(MODEL, version);
        return all.get(all.size() - 1);
    }

    @Test
    @Order(1)
    void anEmptyHeldOutSplitRecordsNothingAndSaysWhy() throws Exception {
        v1 =
                registry.register(
                        MODEL, RegistryProcessResource.baseDir.resolve("model.safetensors"), null);
        SuiteUnavailable e =
                assertThrows(SuiteUnavailable.class, () -> pipeline.evaluateCandidate(MODEL, v1));
        assertTrue(e.getMessage().contains("the held-out set is empty"), e.getMessage());
        assertThrows(SuiteUnavailable.class, schedule::runOnce);
        assertEquals(0, registry.evaluations(MODEL, v1).size());
        assertEquals(null, registry.production(MODEL));
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .body(org.hamcrest.Matchers.containsString("the held-out set is empty"));
    }

    @Test
    @Order(2)
    void candidatesAreGatedOnTheSplitAndItsVersionAndPrecisionAreRecorded() throws Exception {
        feed(16, COOL);
        Outcome o1 = pipeline.evaluateCandidate(MODEL, v1);
        assertEquals(Outcome.Status.PROMOTED, o1.status(), o1.toString());
        // a suite of a few dozen items cannot resolve the CLS margin of 0.01: said, not hidden
        assertTrue(
                o1.reason().contains("suite too small for the margin: zeroshot_cls"), o1.reason());
        JsonNode e = last(v1);
        versionA = e.get("suiteId").asText();
        assertTrue(versionA.startsWith("heldout-"), versionA);
        assertEquals(pipeline.suite().id(), versionA);
        JsonNode suite = e.at("/thresholds/_gate/suite");
        assertEquals("stream", suite.get("source").asText(), suite.toString());
        assertEquals(Topics.HELD_OUT_SAMPLES, suite.get("topic").asText());
        assertTrue(suite.get("offsets").asText().matches("\\d:\\[0,\\d+\\)( \\d:\\[0,\\d+\\))*"));
        assertTrue(suite.at("/size/zeroshot_images").asInt() > 0, suite.toString());
        assertTrue(suite.at("/precision/0/tooSmall").asBoolean(), suite.toString());
        assertTrue(
                e.at("/thresholds/_gate/notes").toString().contains("suite too small"),
                e.toString());

        v2 =
                registry.register(
                        MODEL,
                        TestEncoders.swappedWords(
                                RegistryProcessResource.baseDir.resolve("model.safetensors"),
                                Path.of("target", "swapped.safetensors"),
                                "red",
                                "blue"),
                        v1);
        Outcome o2 = pipeline.evaluateCandidate(MODEL, v2);
        assertEquals(Outcome.Status.PROMOTED, o2.status(), o2.toString());
        assertEquals(v2, registry.production(MODEL));
        JsonNode cls = last(v2).at("/slices/0/metrics");
        assertEquals(
                cls.get("candidate.zeroshot_cls").asDouble(),
                cls.get("baseline.zeroshot_cls").asDouble(),
                "no red or blue in the split: v2 scores exactly as v1");
    }

    @Test
    @Order(3)
    void aSplitGrownByTheConfiguredAmountIsANewVersionOnWhichProductionIsRechecked()
            throws Exception {
        feed(StreamSuiteProfile.GROWTH - 1, COOL);
        assertEquals(Map.of(), schedule.runOnce(), "grown by less than the configured amount");
        assertEquals(versionA, pipeline.suite().id());
        feed(1, COOL);
        Map<String, Outcome> out = schedule.runOnce();
        assertEquals(Outcome.Status.RECHECK_PASSED, out.get(MODEL).status(), out.toString());
        String versionA2 = pipeline.suite().id();
        assertNotEquals(versionA, versionA2);
        assertEquals(v2, registry.production(MODEL));
        JsonNode e = last(v2);
        assertEquals("recheck", e.at("/thresholds/_gate/purpose").asText());
        assertEquals(versionA2, e.get("suiteId").asText());
        assertTrue(e.get("passed").asBoolean());
        assertEquals(v1, e.get("baselineVersion").asInt());
        // production already checked on this version: nothing more to do
        assertEquals(Map.of(), schedule.runOnce());
    }

    @Test
    @Order(4)
    void aGrownSplitOnWhichProductionDoesWorseRollsItBack() throws Exception {
        feed(12, i -> i.className().contains("red") || i.className().contains("blue"));
        Map<String, Outcome> out = schedule.runOnce();
        Outcome o = out.get(MODEL);
        assertEquals(Outcome.Status.ROLLED_BACK, o.status(), out.toString());
        assertEquals(v1, registry.production(MODEL));
        versionB = pipeline.suite().id();
        JsonNode e = last(v2);
        assertEquals("recheck", e.at("/thresholds/_gate/purpose").asText());
        assertEquals(versionB, e.get("suiteId").asText());
        assertFalse(e.get("passed").asBoolean(), e.toString());
        JsonNode history = registry.history(MODEL);
        JsonNode move = history.get(history.size() - 1);
        assertEquals(v2, move.get("from").asInt());
        assertEquals(v1, move.get("to").asInt());
        assertTrue(
                move.get("reason").asText().contains("re-check of v" + v2 + " failed"),
                move.toString());
        // the registry announces the rollback on its event topic, which the gateway follows
        assertTrue(rollbackAnnounced(v2, v1), "ALIAS_MOVED v" + v2 + " → v" + v1 + ", rollback");
        // the re-check's report shows the suite version it ran on
        String html =
                given().when()
                        .get(URI.create(e.get("reportUrl").asText()).getPath())
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertTrue(html.contains("<h2>Suite</h2>") && html.contains(versionB), html);
        assertTrue(html.contains(e.at("/thresholds/_gate/suite/offsets").asText()));
        // v1 is now production without an evaluation on this version: re-checked against the
        // base (its own weights), it passes and stays
        out = schedule.runOnce();
        assertEquals(Outcome.Status.RECHECK_PASSED, out.get(MODEL).status(), out.toString());
        assertEquals(v1, registry.production(MODEL));
    }

    @Test
    @Order(5)
    void aBrokenCocoSetRecordsNoEvaluationAndLeavesProductionAlone() throws Exception {
        int v3 =
                registry.register(
                        MODEL,
                        TestEncoders.relabelled(
                                RegistryProcessResource.baseDir.resolve("model.safetensors"),
                                Path.of("target", "v3.safetensors"),
                                "v3"),
                        v1);
        int v1Evaluations = registry.evaluations(MODEL, v1).size();
        RegistryClient client =
                new RegistryClient(
                        RegistryProcessResource.url, RegistryProcessResource.evaluatorToken);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("missing-image", "does not exist");
        cases.put("unknown-category", "unknown category_id 999");
        cases.put("bad-polygon", "bad segmentation");
        cases.put("bad-rle", "annotation ");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path json = brokenCocoSet(c.getKey());
            Path work = StreamSuiteProfile.WORK.resolve(c.getKey());
            HeldOutSuite suite =
                    HeldOutSuite.coco(
                            json,
                            json.getParent(),
                            new CocoSuiteConfig(0.25, 2, 64, 0.1, 0, Taxonomy.DEFAULT_TEMPLATE),
                            50,
                            work.resolve("metric-cache"));
            ReportWriter reports = new ReportWriter(work.resolve("reports"), "http://localhost");
            EvaluationPipeline p =
                    new EvaluationPipeline(
                            client,
                            suite,
                            new VersionScorer(
                                    client,
                                    suite,
                                    EvaluatorBeans.base(RegistryProcessResource.baseDir),
                                    work,
                                    ai.djl.Device.cpu()),
                            new EvaluationRecorder(client, reports, new ObjectMapper()),
                            reports,
                            GateConfig.defaults());
            SuiteUnavailable e =
                    assertThrows(
                            SuiteUnavailable.class,
                            () -> p.evaluateCandidate(MODEL, v3),
                            c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + ": " + e.getMessage());
            assertThrows(SuiteUnavailable.class, () -> p.recheck(MODEL, null), c.getKey());
            assertEquals(0, registry.evaluations(MODEL, v3).size(), c.getKey());
            assertEquals(v1Evaluations, registry.evaluations(MODEL, v1).size(), c.getKey());
            assertEquals(v1, registry.production(MODEL), c.getKey());
        }
    }

    /**
     * Whether {@code eagle.registry.events.v1} carries, within the wait, the ALIAS_MOVED of this
     * model's production from {@code from} to {@code to} marked as a rollback.
     */
    private static boolean rollbackAnnounced(int from, int to) {
        Properties p = new Properties();
        p.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        ObjectMapper m = new ObjectMapper();
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(Topics.REGISTRY_EVENTS).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    try {
                        JsonNode e = m.readTree(r.value());
                        if (MODEL.equals(e.path("model").asText())
                                && "ALIAS_MOVED".equals(e.path("type").asText())
                                && e.path("from").asInt() == from
                                && e.path("to").asInt() == to
                                && e.path("rollback").asBoolean()) {
                            return true;
                        }
                    } catch (IOException ex) {
                        // not an event of ours
                    }
                }
            }
            return false;
        }
    }

    /** A COCO export of 12 scenes with one fault ({@code kind}); returns its annotations file. */
    private static Path brokenCocoSet(String kind) throws IOException {
        SceneGenerator gen = SceneGenerator.standard();
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            scenes.add(gen.generate(1000 + i));
        }
        Path json =
                CocoExport.write(scenes, gen.taxonomy(), Path.of("target", "broken-coco", kind));
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = (ObjectNode) m.readTree(json.toFile());
        ObjectNode ann = (ObjectNode) root.get("annotations").get(0);
        switch (kind) {
            case "missing-image" ->
                    Files.delete(json.getParent().resolve(root.at("/images/2/file_name").asText()));
            case "unknown-category" -> ann.put("category_id", 999);
            case "bad-polygon" -> ann.set("segmentation", m.readTree("[[1, 2, 3, 4, 5]]"));
            case "bad-rle" -> ((ObjectNode) ann.get("segmentation")).put("counts", "!!");
            default -> throw new IllegalArgumentException(kind);
        }
        m.writeValue(json.toFile(), root);
        return json;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
