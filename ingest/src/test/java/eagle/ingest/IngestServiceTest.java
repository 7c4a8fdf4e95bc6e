package eagle.ingest;

import static eagle.ingest.TestImages.column;
import static eagle.ingest.TestImages.event;
import static eagle.ingest.TestImages.file;
import static eagle.ingest.TestImages.png;
import static eagle.ingest.TestImages.square;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.contracts.AnnotationEvent;
import eagle.contracts.DeadLetter;
import eagle.contracts.DeadLetter.Reason;
import eagle.contracts.SampleEvent;
import eagle.contracts.Topics;
import eagle.ingest.blob.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service on the real KRaft broker: samples, every reason code, retraction, REST statistics.
 */
@QuarkusTest
@QuarkusTestResource(IngestKafkaResource.class)
class IngestServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static KafkaProducer<String, byte[]> producer;
    private static Path images;

    @Inject BlobStore blobs;

    @BeforeAll
    static void clients() throws IOException {
        producer = KafkaRecords.producer(IngestKafkaResource.bootstrapServers());
        images =
                Files.createDirectories(
                        Path.of("target", "ingest-service-images", UUID.randomUUID().toString()));
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    private static void send(AnnotationEvent event) {
        KafkaRecords.send(producer, Topics.ANNOTATIONS, event);
    }

    private static List<ConsumerRecord<String, byte[]>> read(
            String topic, String prefix, int expected) {
        try (KafkaConsumer<String, byte[]> consumer =
                KafkaRecords.committedReader(IngestKafkaResource.bootstrapServers(), topic)) {
            return KafkaRecords.readCommitted(consumer, k -> k.startsWith(prefix), expected, WAIT);
        }
    }

    /**
     * Committed samples of images starting with {@code prefix} until the latest sample of each
     * image in {@code instances} has that many instances (a negative count: a tombstone), then to
     * the end of the log.
     */
    private static List<ConsumerRecord<String, byte[]>> samplesUntil(
            String prefix, Map<String, Integer> instances) {
        try (KafkaConsumer<String, byte[]> consumer =
                KafkaRecords.committedReader(
                        IngestKafkaResource.bootstrapServers(), Topics.SAMPLES)) {
            return KafkaRecords.readCommittedUntil(
                    consumer,
                    k -> k.startsWith(prefix),
                    read -> KafkaRecords.latestSizesAre(read, instances),
                    WAIT);
        }
    }

    private static <T> T value(ConsumerRecord<String, byte[]> r, Class<T> type) {
        return JsonSerde.of(type).deserializer().deserialize(r.topic(), r.value());
    }

    @Test
    void metricsFlowAndDeadLettersAreServedAndMoveWithTheRecords() throws IOException {
        String p = "metrics-" + UUID.randomUUID() + "-";
        long deadBefore =
                given().get("/statistics/dead-letters")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getLong("byReason.UNPARSABLE");
        long recordsBefore =
                given().get("/statistics/flow")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getLong("records");
        producer.send(
                new ProducerRecord<>(
                        Topics.ANNOTATIONS, p + "u", "{no json".getBytes(StandardCharsets.UTF_8)));
        send(event(p + "g", "0", "cat", column(3, 4, 1), file(images, p + "g.png", png(3, 4, 21))));
        producer.flush();
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                given().get("/statistics/dead-letters")
                                        .then()
                                        .statusCode(200)
                                        .body("byReason.UNPARSABLE", equalTo((int) deadBefore + 1))
                                        .body(
                                                "latest.find { it.imageId == '"
                                                        + p
                                                        + "u' }.excerpt",
                                                equalTo("{no json")));
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertTrue(
                                        given().get("/statistics/flow")
                                                        .then()
                                                        .statusCode(200)
                                                        .extract()
                                                        .jsonPath()
                                                        .getLong("records")
                                                >= recordsBefore + 2));
        read(Topics.SAMPLES, p + "g", 1);
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                given().get("/q/metrics")
                                        .then()
                                        .statusCode(200)
                                        .body(containsString("ingest_records_total"))
                                        .body(containsString("ingest_instances_validated_total"))
                                        .body(
                                                containsString(
                                                        "ingest_dead_letters_total{reason=\"UNPARSABLE\"}"))
                                        .body(
                                                containsString(
                                                        "ingest_dead_letters_total{reason=\"SCHEMA\"}"))
                                        .body(containsString("ingest_emission_lag_seconds_count")));
        given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("paths.'/statistics/flow'.get", notNullValue())
                .body("paths.'/statistics/dead-letters'.get", notNullValue());
    }

    @Test
    void goodRecordsBecomeSamplesAndEveryReasonCodeReachesTheDeadLetterTopic() throws IOException {
        String p = "e2e-" + UUID.randomUUID() + "-";
        byte[] bytes = png(3, 4, 11);
        AnnotationEvent.ImageRef image = file(images, p + "g.png", bytes);
        AnnotationEvent first = event(p + "g", "0", "cat", column(3, 4, 1), image);
        send(first);
        send(event(p + "g", "1", "dog", square(0, 0, 2), image));
        send(
                event(
                        p + "i",
                        "0",
                        "person",
                        AnnotationEvent.Mask.rle(3, 4, "336"),
                        AnnotationEvent.ImageRef.inline(png(3, 4, 12))));

        byte[] garbage = "not an image".getBytes(StandardCharsets.UTF_8);
        AnnotationEvent.ImageRef garbageRef = file(images, p + "garbage.png", garbage);
        producer.send(
                new ProducerRecord<>(
                        Topics.ANNOTATIONS, p + "u", "{oops".getBytes(StandardCharsets.UTF_8)));
        send(
                new AnnotationEvent(
                        1,
                        p + "s",
                        "0",
                        "cat",
                        column(3, 4, 0),
                        image,
                        null,
                        "2025-03-01T10:00:00Z"));
        send(event(p + "c", "0", "zebra\u202E", column(3, 4, 0), image));
        send(event(p + "k", "0", "zebra", column(3, 4, 0), image));
        send(event(p + "m", "0", "cat", AnnotationEvent.Mask.rle(3, 4, "~~~~"), image));
        send(event(p + "z", "0", "cat", column(4, 3, 0), image));
        send(event(p + "e", "0", "cat", AnnotationEvent.Mask.rle(3, 4, new long[] {12}), image));
        send(
                event(
                        p + "r",
                        "0",
                        "cat",
                        column(3, 4, 0),
                        AnnotationEvent.ImageRef.of(
                                images.resolve("absent.png").toUri().toString(), image.sha256())));
        send(
                event(
                        p + "d",
                        "0",
                        "cat",
                        column(3, 4, 0),
                        AnnotationEvent.ImageRef.of(image.uri(), "f".repeat(64))));
        send(event(p + "x", "0", "cat", column(3, 4, 0), garbageRef));
        send(
                event(
                        p + "t",
                        "0",
                        "cat",
                        column(80, 80, 0),
                        AnnotationEvent.ImageRef.inline(png(80, 80, 13))));
        send(first);
        producer.flush();

        List<ConsumerRecord<String, byte[]>> letters = read(Topics.ANNOTATIONS_DLQ, p, 12);
        Map<String, Reason> byKey = new TreeMap<>();
        letters.forEach(
                r ->
                        byKey.merge(
                                r.key().substring(p.length()),
                                value(r, DeadLetter.class).reason(),
                                (a, b) -> {
                                    throw new AssertionError("two dead letters for " + r.key());
                                }));
        Map<String, Reason> expected =
                new TreeMap<>(
                        Map.ofEntries(
                                Map.entry("u", Reason.UNPARSABLE),
                                Map.entry("s", Reason.SCHEMA),
                                Map.entry("c", Reason.CLASS_NAME_INVALID),
                                Map.entry("k", Reason.UNKNOWN_CLASS),
                                Map.entry("m", Reason.MASK_UNDECODABLE),
                                Map.entry("z", Reason.MASK_SIZE_MISMATCH),
                                Map.entry("e", Reason.EMPTY_MASK),
                                Map.entry("r", Reason.IMAGE_UNREACHABLE),
                                Map.entry("d", Reason.DIGEST_MISMATCH),
                                Map.entry("x", Reason.IMAGE_UNDECODABLE),
                                Map.entry("t", Reason.TOO_LARGE),
                                Map.entry("g", Reason.DUPLICATE)));
        assertEquals(expected, byKey);
        assertEquals(EnumSet.allOf(Reason.class), EnumSet.copyOf(byKey.values()));
        DeadLetter unparsable =
                letters.stream()
                        .filter(r -> r.key().equals(p + "u"))
                        .map(r -> value(r, DeadLetter.class))
                        .findFirst()
                        .orElseThrow();
        assertArrayEquals("{oops".getBytes(StandardCharsets.UTF_8), unparsable.originalBytes());

        List<ConsumerRecord<String, byte[]>> samples =
                samplesUntil(p, Map.of(p + "g", 2, p + "i", 1));
        assertEquals(
                java.util.Set.of(p + "g", p + "i"),
                KafkaRecords.sampleSizes(samples).keySet(),
                "samples of the accepted images only");
        assertTrue(samples.size() <= 3, "at most one sample per accepted annotation");
        KafkaRecords.assertNoRepeatedEmission(samples);
        SampleEvent g =
                samples.stream()
                        .filter(r -> r.key().equals(p + "g"))
                        .map(r -> value(r, SampleEvent.class))
                        .reduce((a, b) -> b)
                        .orElseThrow();
        assertEquals(
                List.of("cat", "dog"),
                g.instances().stream().map(SampleEvent.Instance::className).toList());
        assertEquals("336", g.instances().get(0).mask().counts());
        assertEquals(AnnotationEvent.sha256Hex(bytes), g.image().sha256());
        assertArrayEquals(bytes, blobs.get(g.image().sha256()));
        assertArrayEquals(
                bytes, Files.readAllBytes(Path.of(java.net.URI.create(g.image().blobUri()))));
    }

    @Test
    void theCliPublishesACocoExportThatBecomesSamples() throws Exception {
        String p = "cli-" + UUID.randomUUID() + "-";
        Path export = Files.createDirectories(images.resolve(p));
        Files.write(export.resolve("a.png"), png(3, 4, 41));
        Files.writeString(
                export.resolve("instances.json"),
                """
                {"images": [{"id": 1, "file_name": "a.png", "width": 4, "height": 3}],
                 "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}],
                 "annotations": [
                   {"id": 10, "image_id": 1, "category_id": 1, "iscrowd": 0, "segmentation": [[0, 0, 3, 0, 3, 2, 0, 2]]},
                   {"id": 11, "image_id": 1, "category_id": 2, "iscrowd": 1, "segmentation": {"size": [3, 4], "counts": [4, 1, 1, 1, 5]}}]}
                """);
        int published =
                eagle.ingest.cli.PublishExport.run(
                        new String[] {
                            "--format",
                            "coco",
                            "--bootstrap",
                            IngestKafkaResource.bootstrapServers(),
                            "--id-prefix",
                            p,
                            "--annotator",
                            "coco-import",
                            export.resolve("instances.json").toString()
                        });
        assertEquals(2, published);
        List<ConsumerRecord<String, byte[]>> samples = samplesUntil(p, Map.of(p + "1", 2));
        KafkaRecords.assertNoRepeatedEmission(samples);
        SampleEvent last = value(samples.get(samples.size() - 1), SampleEvent.class);
        assertEquals(p + "1", last.imageId());
        assertEquals(
                List.of("10", "11"),
                last.instances().stream().map(SampleEvent.Instance::instanceId).toList());
        assertEquals("41104", last.instances().get(1).mask().counts());
        assertEquals(List.of("coco-import"), last.annotators());
    }

    @Test
    void aRetractionRemovesTheImage() {
        String p = "retract-" + UUID.randomUUID() + "-";
        AnnotationEvent.ImageRef image = file(images, p + "h.png", png(3, 4, 21));
        send(event(p + "h", "0", "horse", column(3, 4, 0), image));
        send(event(p + "h", "1", "horse", column(3, 4, 2), image));
        producer.flush();
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                given().get("/statistics/classes/horse")
                                        .then()
                                        .statusCode(200)
                                        .body("instances", equalTo(2))
                                        .body("images", equalTo(1)));

        producer.send(new ProducerRecord<>(Topics.ANNOTATIONS, p + "h", null));
        producer.flush();
        List<ConsumerRecord<String, byte[]>> samples = samplesUntil(p, Map.of(p + "h", -1));
        KafkaRecords.assertNoRepeatedEmission(samples);
        assertEquals(
                2, value(samples.get(samples.size() - 2), SampleEvent.class).instances().size());
        assertNull(
                samples.get(samples.size() - 1).value(),
                "the retraction flows through as a tombstone");
        await().atMost(WAIT)
                .untilAsserted(
                        () -> given().get("/statistics/classes/horse").then().statusCode(404));
    }

    @Test
    void restStatisticsMatchWhatWasPublished() {
        String p = "stats-" + UUID.randomUUID() + "-";
        AnnotationEvent.ImageRef s1 = file(images, p + "1.png", png(3, 4, 31));
        AnnotationEvent.ImageRef s2 = file(images, p + "2.png", png(3, 4, 32));
        AnnotationEvent.ImageRef s3 = file(images, p + "3.png", png(3, 4, 33));
        // S1 {bird, bird, fish}, S2 {fish}, S3 {bird}
        send(event(p + "1", "a", "bird", column(3, 4, 0), s1));
        send(event(p + "1", "b", "bird", column(3, 4, 1), s1));
        send(event(p + "1", "c", "fish", column(3, 4, 2), s1));
        send(event(p + "2", "a", "fish", column(3, 4, 0), s2));
        send(event(p + "3", "a", "bird", column(3, 4, 3), s3));
        producer.flush();
        // hand count: bird 3 instances in 2 images, with fish in 1; fish 2 instances in 2 images,
        // with bird in 1
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            given().get("/statistics/classes/bird")
                                    .then()
                                    .statusCode(200)
                                    .body("className", equalTo("bird"))
                                    .body("instances", equalTo(3))
                                    .body("images", equalTo(2))
                                    .body("cooccurrence", equalTo(Map.of("fish", 1)));
                            given().get("/statistics/classes/fish")
                                    .then()
                                    .statusCode(200)
                                    .body("instances", equalTo(2))
                                    .body("images", equalTo(2))
                                    .body("cooccurrence", equalTo(Map.of("bird", 1)));
                        });
        List<Map<String, Object>> all =
                given().get("/statistics/classes")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("$");
        Map<String, Object> byName =
                all.stream()
                        .collect(
                                Collectors.toMap(
                                        m -> (String) m.get("className"), m -> m.get("instances")));
        assertEquals(3, byName.get("bird"));
        assertEquals(2, byName.get("fish"));
        given().get("/statistics/classes/unicorn").then().statusCode(404);
    }
}
