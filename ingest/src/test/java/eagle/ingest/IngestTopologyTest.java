package eagle.ingest;

import static eagle.ingest.TestImages.column;
import static eagle.ingest.TestImages.event;
import static eagle.ingest.TestImages.file;
import static eagle.ingest.TestImages.png;
import static eagle.ingest.TestImages.square;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpServer;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.DeadLetter;
import eagle.contracts.DeadLetter.Reason;
import eagle.contracts.SampleEvent;
import eagle.contracts.Topics;
import eagle.core.mask.CocoRle;
import eagle.core.mask.PolygonRasterizer;
import eagle.ingest.blob.FileBlobStore;
import eagle.ingest.validate.ClassNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology without a broker: samples, every reason code, retraction, statistics. */
class IngestTopologyTest {

    @TempDir Path dir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> annotations;
    private TestOutputTopic<String, SampleEvent> samples;
    private TestOutputTopic<String, DeadLetter> dlq;
    private FileBlobStore blobs;
    private HttpServer http;

    /**
     * The topology's meters, and the wall clock its rates read (the emission lag reads the
     * driver's).
     */
    private SimpleMeterRegistry meters;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private IngestMetrics metrics;

    @BeforeEach
    void start() throws IOException {
        blobs = new FileBlobStore(dir.resolve("blobs"));
        // a closed taxonomy; 4 KiB inline limit; 10 000 pixels; every image to the samples topic
        // (the held-out
        // split's routing: HeldOutSplitTest)
        drive(
                IngestConfig.defaults()
                        .withTaxonomy(Set.of("cat", "dog", "person"))
                        .withLimits(64 * 1024, 4096, 10_000)
                        .withHeldOut(new HeldOutSplit(0)),
                "state");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] served = png(3, 4, 7);
        http.createContext(
                "/",
                exchange -> {
                    boolean found = exchange.getRequestURI().getPath().equals("/img.png");
                    byte[] body = found ? served : new byte[0];
                    exchange.sendResponseHeaders(found ? 200 : 404, found ? body.length : -1);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        http.start();
    }

    /**
     * A fresh driver over the topology for {@code config}, its state under {@code dir/stateFolder}.
     */
    private void drive(IngestConfig config, String stateFolder) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(stateFolder).toString());
        meters = new SimpleMeterRegistry();
        metrics = new IngestMetrics(meters, clock::get);
        driver = new TopologyTestDriver(TopologyProducer.topology(config, blobs, metrics), props);
        annotations =
                driver.createInputTopic(
                        Topics.ANNOTATIONS, new StringSerializer(), new ByteArraySerializer());
        samples =
                driver.createOutputTopic(
                        Topics.SAMPLES,
                        new StringDeserializer(),
                        JsonSerde.of(SampleEvent.class).deserializer());
        dlq =
                driver.createOutputTopic(
                        Topics.ANNOTATIONS_DLQ,
                        new StringDeserializer(),
                        JsonSerde.of(DeadLetter.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        http.stop(0);
    }

    private void send(String key, AnnotationEvent event) {
        annotations.pipeInput(key, json(event));
    }

    private static byte[] json(AnnotationEvent event) {
        try {
            return JsonSerde.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(AnnotationEvent event) {
        send(event.imageId(), event);
    }

    /**
     * One emit interval of wall-clock time passes: the images changed since the last emission are
     * emitted.
     */
    private void emit() {
        driver.advanceWallClockTime(IngestConfig.defaults().emitInterval());
    }

    private KeyValueStore<String, ClassStatistics> stats() {
        return driver.getKeyValueStore(TopologyProducer.CLASS_STATS_STORE);
    }

    @Test
    void goodRecordsBecomeOneGrowingSamplePerImage() throws IOException {
        byte[] bytes = png(3, 4, 1);
        AnnotationEvent.ImageRef image = file(dir, "a.png", bytes);
        send(event("a", "a/0", "cat", column(3, 4, 1), image));
        emit();

        TestRecord<String, SampleEvent> first = samples.readRecord();
        assertEquals("a", first.key());
        SampleEvent sample = first.value();
        String sha = AnnotationEvent.sha256Hex(bytes);
        assertEquals(
                new SampleEvent.Image(sha, 4, 3, blobs.pathOf(sha).toUri().toString()),
                sample.image());
        // column x=1 of a 3×4 mask: runs [3, 3, 6]; pycocotools writes runs 0..2 as they are (delta
        // coding starts at index 3), one 5-bit group each: '0'+3, '0'+3, '0'+6 = "336"
        // (hand-encoded)
        assertEquals(
                List.of(
                        new SampleEvent.Instance(
                                "a/0", "cat", new SampleEvent.Mask(List.of(3, 4), "336"), "alice")),
                sample.instances());
        assertEquals(List.of("alice"), sample.annotators());
        assertEquals("2025-03-01T10:00:00Z", sample.updatedAt());
        assertArrayEquals(bytes, blobs.get(sha));
        assertTrue(Files.exists(dir.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha)));

        // a polygon instance by another annotator, later, image as inline bytes with the same
        // digest
        AnnotationEvent second =
                new AnnotationEvent(
                        1,
                        "a",
                        "a/1",
                        "dog",
                        square(0, 0, 2),
                        AnnotationEvent.ImageRef.inline(bytes),
                        "bob",
                        "2025-03-02T00:00:00Z");
        send(second);
        emit();
        SampleEvent grown = samples.readValue();
        assertEquals(
                List.of("a/0", "a/1"),
                grown.instances().stream().map(SampleEvent.Instance::instanceId).toList());
        String polygon =
                CocoRle.encode(PolygonRasterizer.rasterize(second.mask().polygons(), 3, 4))
                        .toCompressedString();
        assertEquals(polygon, grown.instances().get(1).mask().counts());
        assertEquals(List.of("alice", "bob"), grown.annotators());
        assertEquals("2025-03-02T00:00:00Z", grown.updatedAt());

        // compressed-string RLE over http: same counts as the list form
        AnnotationEvent.ImageRef overHttp =
                AnnotationEvent.ImageRef.of(
                        "http://127.0.0.1:" + http.getAddress().getPort() + "/img.png",
                        AnnotationEvent.sha256Hex(png(3, 4, 7)));
        send(event("b", "b/0", "person", AnnotationEvent.Mask.rle(3, 4, "336"), overHttp));
        emit();
        SampleEvent b = samples.readValue();
        assertEquals("336", b.instances().get(0).mask().counts());
        assertEquals(AnnotationEvent.sha256Hex(png(3, 4, 7)), b.image().sha256());
        assertTrue(dlq.isEmpty());
        assertTrue(samples.isEmpty());
    }

    @Test
    void metricsCountRecordsValidatedInstancesDeadLettersAndTheEmissionLag() throws IOException {
        byte[] bytes = png(3, 4, 1);
        AnnotationEvent.ImageRef image = file(dir, "a.png", bytes);
        send(event("a", "a/0", "cat", column(3, 4, 0), image));
        // a second instance 400 ms after the first: the lag runs from the first pending mark, not
        // this one
        driver.advanceWallClockTime(java.time.Duration.ofMillis(400));
        send(event("a", "a/1", "dog", column(3, 4, 1), image));
        send(event("a", "a/1", "dog", column(3, 4, 1), image)); // DUPLICATE
        annotations.pipeInput(
                "u", "not json at all".getBytes(StandardCharsets.UTF_8)); // UNPARSABLE
        send(event("k", "k/0", "zebra", column(3, 4, 0), image)); // UNKNOWN_CLASS
        clock.addAndGet(1_000); // the rates count complete seconds
        driver.advanceWallClockTime(java.time.Duration.ofMillis(600));
        assertEquals(1, samples.readValuesToList().size());

        assertEquals(5.0, meters.get(IngestMetrics.RECORDS).counter().count());
        assertEquals(2.0, meters.get(IngestMetrics.VALIDATED).counter().count());
        assertEquals(
                1.0,
                meters.get(IngestMetrics.DEAD_LETTERS)
                        .tag("reason", "DUPLICATE")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                meters.get(IngestMetrics.DEAD_LETTERS)
                        .tag("reason", "UNPARSABLE")
                        .counter()
                        .count());
        assertEquals(
                0.0,
                meters.get(IngestMetrics.DEAD_LETTERS)
                        .tag("reason", "TOO_LARGE")
                        .counter()
                        .count());
        var lag = meters.get(IngestMetrics.EMISSION_LAG).timer();
        assertEquals(1, lag.count());
        assertEquals(1_000.0, lag.totalTime(TimeUnit.MILLISECONDS));

        IngestMetrics.Flow flow = metrics.flow();
        assertEquals(5, flow.records());
        assertEquals(2, flow.validatedInstances());
        assertEquals(3, flow.deadLetters());
        assertEquals(5.0 / IngestMetrics.RATE_SECONDS, flow.recordsPerSecond(), 1e-9);
        assertEquals(2.0 / IngestMetrics.RATE_SECONDS, flow.validatedInstancesPerSecond(), 1e-9);
        clock.addAndGet(IngestMetrics.RATE_SECONDS * 1_000L);
        assertEquals(0.0, metrics.flow().recordsPerSecond());

        DeadLetterLog.Snapshot letters = metrics.deadLetters();
        assertEquals(3, letters.total());
        assertEquals(1L, letters.byReason().get(Reason.UNKNOWN_CLASS));
        assertEquals(0L, letters.byReason().get(Reason.SCHEMA));
        assertEquals(
                List.of(Reason.UNKNOWN_CLASS, Reason.UNPARSABLE, Reason.DUPLICATE),
                letters.latest().stream().map(DeadLetterLog.Entry::reason).toList());
        DeadLetterLog.Entry unparsable = letters.latest().get(1);
        assertEquals("not json at all", unparsable.excerpt());
        assertEquals(15, unparsable.bytes());
        assertEquals("u", unparsable.imageId());
    }

    @Test
    void theDeadLetterLogKeepsTheLatestWithBoundedExcerpts() {
        byte[] big = new byte[IngestMetrics.EXCERPT_BYTES * 3];
        java.util.Arrays.fill(big, (byte) 'x');
        for (int i = 0; i < IngestMetrics.KEPT_DEAD_LETTERS + 5; i++) {
            annotations.pipeInput("u" + i, big);
        }
        DeadLetterLog.Snapshot letters = metrics.deadLetters();
        assertEquals(IngestMetrics.KEPT_DEAD_LETTERS + 5, letters.total());
        assertEquals(IngestMetrics.KEPT_DEAD_LETTERS, letters.latest().size());
        assertEquals(
                "u" + (IngestMetrics.KEPT_DEAD_LETTERS + 4), letters.latest().get(0).imageId());
        assertEquals("u5", letters.latest().get(IngestMetrics.KEPT_DEAD_LETTERS - 1).imageId());
        assertEquals(IngestMetrics.EXCERPT_BYTES, letters.latest().get(0).excerpt().length());
        assertTrue(letters.latest().get(0).truncated());
        assertEquals(big.length, letters.latest().get(0).bytes());
        assertEquals(IngestMetrics.KEPT_DEAD_LETTERS + 5, dlq.readValuesToList().size());
    }

    @Test
    void everyReasonCodeIsProducedAndTheStreamGoesOn() throws IOException {
        byte[] bytes = png(3, 4, 1);
        AnnotationEvent.ImageRef image = file(dir, "a.png", bytes);
        String sha = AnnotationEvent.sha256Hex(bytes);
        AnnotationEvent good = event("a", "a/0", "cat", column(3, 4, 0), image);
        send(good);
        emit();
        assertEquals(1, samples.readValuesToList().size());

        byte[] garbage = "not an image".getBytes(StandardCharsets.UTF_8);
        Path garbageFile = dir.resolve("garbage.png");
        Files.write(garbageFile, garbage);
        byte[] big = png(80, 80, 3); // noise PNG > 4 KiB inline limit
        assertTrue(big.length > 4096);

        annotations.pipeInput("u", "{\"schemaVersion\": 1, ".getBytes(StandardCharsets.UTF_8));
        send(
                "s",
                new AnnotationEvent(
                        1,
                        "s",
                        "s/0",
                        null,
                        column(3, 4, 0),
                        image,
                        "alice",
                        "2025-03-01T10:00:00Z"));
        send(
                event(
                        "c",
                        "c/0",
                        "zebra\u0007",
                        column(3, 4, 0),
                        image)); // not in the taxonomy either: bounds first
        send(event("k", "k/0", "zebra", column(3, 4, 0), image));
        send(event("m", "m/0", "cat", AnnotationEvent.Mask.rle(3, 4, new long[] {1, 2}), image));
        send(event("z", "z/0", "cat", column(5, 5, 0), image));
        send(event("e", "e/0", "cat", AnnotationEvent.Mask.rle(3, 4, new long[] {12}), image));
        send(
                event(
                        "r",
                        "r/0",
                        "cat",
                        column(3, 4, 0),
                        AnnotationEvent.ImageRef.of(
                                dir.resolve("missing.png").toUri().toString(), sha)));
        send(
                event(
                        "d",
                        "d/0",
                        "cat",
                        column(3, 4, 0),
                        AnnotationEvent.ImageRef.of(image.uri(), "0".repeat(64))));
        send(
                event(
                        "g",
                        "g/0",
                        "cat",
                        column(3, 4, 0),
                        AnnotationEvent.ImageRef.of(
                                garbageFile.toUri().toString(),
                                AnnotationEvent.sha256Hex(garbage))));
        send(event("t", "t/0", "cat", column(80, 80, 0), AnnotationEvent.ImageRef.inline(big)));
        send(good);
        // and the stream goes on after all of them
        send(event("a", "a/1", "dog", column(3, 4, 3), image));

        List<TestRecord<String, DeadLetter>> letters = dlq.readRecordsToList();
        List<Reason> reasons = letters.stream().map(r -> r.value().reason()).toList();
        assertEquals(
                List.of(
                        Reason.UNPARSABLE,
                        Reason.SCHEMA,
                        Reason.CLASS_NAME_INVALID,
                        Reason.UNKNOWN_CLASS,
                        Reason.MASK_UNDECODABLE,
                        Reason.MASK_SIZE_MISMATCH,
                        Reason.EMPTY_MASK,
                        Reason.IMAGE_UNREACHABLE,
                        Reason.DIGEST_MISMATCH,
                        Reason.IMAGE_UNDECODABLE,
                        Reason.TOO_LARGE,
                        Reason.DUPLICATE),
                reasons);
        assertEquals(EnumSet.allOf(Reason.class), EnumSet.copyOf(reasons));
        DeadLetter first = letters.get(0).value();
        assertArrayEquals(
                "{\"schemaVersion\": 1, ".getBytes(StandardCharsets.UTF_8), first.originalBytes());
        assertEquals("u", first.imageId());
        assertEquals(Topics.ANNOTATIONS, first.topic());
        assertEquals(1L, first.offset());
        assertArrayEquals(
                JsonSerde.MAPPER.writeValueAsBytes(good), letters.get(11).value().originalBytes());
        assertTrue(
                letters.stream()
                        .allMatch(l -> l.value().error() != null && !l.value().error().isBlank()));

        emit();
        List<SampleEvent> after = samples.readValuesToList();
        assertEquals(1, after.size());
        assertEquals(2, after.get(0).instances().size());
    }

    @Test
    void classNamesAreFreeTextButBounded() {
        driver.close();
        drive(
                IngestConfig.defaults().withHeldOut(new HeldOutSplit(0)),
                "open-state"); // an open taxonomy: only the name's bounds decide
        AnnotationEvent.ImageRef image = file(dir, "a.png", png(3, 4, 1));
        String cat = "\uD83D\uDC08"; // U+1F408 CAT: one code point, two chars
        Map<String, String> valid = new java.util.LinkedHashMap<>();
        valid.put("space", "traffic light");
        valid.put("hyphen", "hot-dog");
        valid.put("accents", "crème brûlée");
        valid.put("han", "红绿灯");
        valid.put(
                "zwnj",
                "\u06A9\u062A\u0627\u0628\u200C\u0647\u0627"); // Persian "books": ZWNJ is spelling
        valid.put("max", "x".repeat(ClassNames.MAX_LENGTH));
        valid.put("max-astral", cat.repeat(ClassNames.MAX_LENGTH)); // 512 chars, 256 code points
        Map<String, String> invalid = new java.util.LinkedHashMap<>();
        invalid.put("long", "x".repeat(ClassNames.MAX_LENGTH + 1));
        invalid.put("huge", "c".repeat(70_000));
        invalid.put("long-astral", cat.repeat(ClassNames.MAX_LENGTH + 1));
        invalid.put("bel", "cat\u0007");
        invalid.put("newline", "traffic\nlight");
        invalid.put("nul", "\u0000");
        invalid.put("del", "hot\u007Fdog");
        invalid.put("c1", "cat\u0085"); // NEXT LINE, a C1 control
        invalid.put("bidi", "god\u202Etoh"); // RIGHT-TO-LEFT OVERRIDE (Cf)
        invalid.put("soft-hyphen", "hot\u00ADdog"); // Cf
        invalid.put("bom", "\uFEFFcat"); // Cf
        invalid.put("surrogate", "cat\uD800"); // an unpaired surrogate: JSON may escape one
        invalid.forEach(
                (id, name) -> {
                    if (id.equals(
                            "surrogate")) { // written by hand: a JSON generator refuses to write it
                        String json =
                                new String(
                                                json(
                                                        event(
                                                                id,
                                                                id + "/0",
                                                                "cat-SURROGATE",
                                                                column(3, 4, 0),
                                                                image)),
                                                StandardCharsets.UTF_8)
                                        .replace("cat-SURROGATE", "cat\\ud800");
                        annotations.pipeInput(id, json.getBytes(StandardCharsets.UTF_8));
                    } else {
                        send(event(id, id + "/0", name, column(3, 4, 0), image));
                    }
                });
        valid.forEach((id, name) -> send(event(id, id + "/0", name, column(3, 4, 0), image)));
        emit();

        List<TestRecord<String, DeadLetter>> letters = dlq.readRecordsToList();
        assertEquals(List.copyOf(invalid.keySet()), letters.stream().map(TestRecord::key).toList());
        for (TestRecord<String, DeadLetter> letter : letters) {
            assertEquals(Reason.CLASS_NAME_INVALID, letter.value().reason(), letter.key());
            String error = letter.value().error();
            assertTrue(
                    error.startsWith("className has ") && error.length() < 100,
                    letter.key() + ": " + error);
        }
        assertTrue(
                letters.get(1).value().error().contains("70000 characters, limit 256"),
                letters.get(1).value().error());
        assertTrue(
                letters.get(3).value().error().contains("U+0007 at position 3"),
                letters.get(3).value().error());
        assertTrue(
                letters.get(8).value().error().contains("format character U+202E"),
                letters.get(8).value().error());

        Map<String, String> emitted = new java.util.TreeMap<>();
        samples.readKeyValuesToList()
                .forEach(kv -> emitted.put(kv.key, kv.value.instances().get(0).className()));
        assertEquals(new java.util.TreeMap<>(valid), emitted);
        valid.values()
                .forEach(
                        name ->
                                assertEquals(
                                        new ClassStatistics(name, 1, 1, Map.of()),
                                        stats().get(name),
                                        name));
        invalid.values().forEach(name -> assertNull(stats().get(name)));
    }

    @Test
    void moreRejectionsAtTheEdges() throws IOException {
        byte[] bytes = png(3, 4, 1);
        AnnotationEvent.ImageRef image = file(dir, "a.png", bytes);
        String port = String.valueOf(http.getAddress().getPort());
        send(
                event(
                        "h",
                        "h/0",
                        "cat",
                        column(3, 4, 0),
                        AnnotationEvent.ImageRef.of(
                                "http://127.0.0.1:" + port + "/gone.png", image.sha256())));
        send("other-key", event("a", "a/0", "cat", column(3, 4, 0), image));
        send(
                event(
                        "p",
                        "p/0",
                        "cat",
                        AnnotationEvent.Mask.polygons(List.of(new double[] {0, 0, 1})),
                        image));
        send(event("x", "x/0", "cat", column(200, 200, 0), image));
        annotations.pipeInput("j", "[1, 2]".getBytes(StandardCharsets.UTF_8));
        send(event("a", "a/0", "cat", column(3, 4, 0), image));
        send(event("a", "a/1", "cat", column(3, 4, 1), file(dir, "other.png", png(3, 4, 2))));
        assertEquals(
                List.of(
                        Reason.IMAGE_UNREACHABLE,
                        Reason.SCHEMA,
                        Reason.MASK_UNDECODABLE,
                        Reason.TOO_LARGE,
                        Reason.UNPARSABLE,
                        Reason.DIGEST_MISMATCH),
                dlq.readValuesToList().stream().map(DeadLetter::reason).toList());
    }

    @Test
    void statisticsFollowAcceptancesCorrectionsAndRetractions() {
        AnnotationEvent.ImageRef a = file(dir, "a.png", png(3, 4, 1));
        AnnotationEvent.ImageRef b = file(dir, "b.png", png(3, 4, 2));
        send(event("A", "A/0", "cat", column(3, 4, 0), a));
        send(event("A", "A/1", "cat", column(3, 4, 1), a));
        send(event("A", "A/2", "dog", column(3, 4, 2), a));
        send(event("B", "B/0", "dog", column(3, 4, 0), b));
        send(event("B", "B/1", "person", column(3, 4, 1), b));
        emit();
        // hand count: A = {cat, cat, dog}, B = {dog, person}
        assertEquals(new ClassStatistics("cat", 2, 1, Map.of("dog", 1L)), stats().get("cat"));
        assertEquals(
                new ClassStatistics("dog", 2, 2, Map.of("cat", 1L, "person", 1L)),
                stats().get("dog"));
        assertEquals(new ClassStatistics("person", 1, 1, Map.of("dog", 1L)), stats().get("person"));

        // a correction: A/2 becomes a cat → A = {cat ×3}
        send(event("A", "A/2", "cat", column(3, 4, 2), a));
        emit();
        assertEquals(new ClassStatistics("cat", 3, 1, Map.of()), stats().get("cat"));
        assertEquals(new ClassStatistics("dog", 1, 1, Map.of("person", 1L)), stats().get("dog"));

        // retracting A: a tombstone on the samples topic, cat disappears
        samples.readRecordsToList();
        annotations.pipeInput("A", (byte[]) null);
        TestRecord<String, SampleEvent> tombstone = samples.readRecord();
        assertEquals("A", tombstone.key());
        assertNull(tombstone.value());
        assertNull(stats().get("cat"));
        assertEquals(new ClassStatistics("dog", 1, 1, Map.of("person", 1L)), stats().get("dog"));
        assertNull(
                driver.<String, ImageAggregate>getKeyValueStore(TopologyProducer.IMAGES_STORE)
                        .get("A"));

        // A comes back from scratch, with a new image: no digest conflict after the retraction
        AnnotationEvent.ImageRef a2 = file(dir, "a2.png", png(3, 4, 3));
        send(event("A", "A/9", "person", column(3, 4, 0), a2));
        emit();
        SampleEvent reborn = samples.readValue();
        assertEquals(
                List.of("A/9"),
                reborn.instances().stream().map(SampleEvent.Instance::instanceId).toList());
        assertEquals(a2.sha256(), reborn.image().sha256());
        assertEquals(new ClassStatistics("person", 2, 2, Map.of("dog", 1L)), stats().get("person"));
        assertTrue(dlq.isEmpty());
    }

    @Test
    void anImageIsEmittedOncePerIntervalWithEverythingAcceptedInIt() {
        AnnotationEvent.ImageRef a = file(dir, "a.png", png(3, 4, 1));
        AnnotationEvent.ImageRef b = file(dir, "b.png", png(3, 4, 2));
        send(event("A", "A/0", "cat", column(3, 4, 0), a));
        send(event("A", "A/1", "dog", column(3, 4, 1), a));
        send(event("B", "B/0", "dog", column(3, 4, 0), b));
        send(event("A", "A/2", "cat", column(3, 4, 2), a));
        // nothing before the interval has passed; statistics count emitted samples only
        assertTrue(samples.isEmpty());
        assertNull(stats().get("cat"));
        driver.advanceWallClockTime(IngestConfig.defaults().emitInterval().minusMillis(1));
        assertTrue(samples.isEmpty());

        driver.advanceWallClockTime(java.time.Duration.ofMillis(1));
        Map<String, SampleEvent> emitted = new java.util.TreeMap<>();
        samples.readKeyValuesToList()
                .forEach(
                        kv ->
                                assertNull(
                                        emitted.put(kv.key, kv.value), "emitted twice: " + kv.key));
        assertEquals(List.of("A", "B"), List.copyOf(emitted.keySet()));
        assertEquals(
                List.of("A/0", "A/1", "A/2"),
                emitted.get("A").instances().stream()
                        .map(SampleEvent.Instance::instanceId)
                        .toList());
        assertEquals(new ClassStatistics("cat", 2, 1, Map.of("dog", 1L)), stats().get("cat"));
        assertEquals(new ClassStatistics("dog", 2, 2, Map.of("cat", 1L)), stats().get("dog"));
        // an idle interval emits nothing again
        emit();
        assertTrue(samples.isEmpty());

        // B grows and is retracted before its next emission: the tombstone at once, the statistics
        // lose what
        // they counted for B (its emitted state), nothing of B is emitted afterwards
        send(event("B", "B/1", "person", column(3, 4, 1), b));
        annotations.pipeInput("B", (byte[]) null);
        TestRecord<String, SampleEvent> tombstone = samples.readRecord();
        assertEquals("B", tombstone.key());
        assertNull(tombstone.value());
        assertEquals(new ClassStatistics("dog", 1, 1, Map.of("cat", 1L)), stats().get("dog"));
        assertNull(stats().get("person"));
        emit();
        assertTrue(samples.isEmpty());
        assertNull(
                driver.<String, PendingSample>getKeyValueStore(TopologyProducer.PENDING_STORE)
                        .get("B"));

        // a never-emitted image retracted: a tombstone, statistics untouched
        send(event("C", "C/0", "person", column(3, 4, 0), file(dir, "c.png", png(3, 4, 3))));
        annotations.pipeInput("C", (byte[]) null);
        assertNull(samples.readRecord().value());
        emit();
        assertTrue(samples.isEmpty());
        assertNull(stats().get("person"));
        assertTrue(dlq.isEmpty());
    }
}
