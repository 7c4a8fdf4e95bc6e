package eagle.ingest;

import static eagle.ingest.TestImages.column;
import static eagle.ingest.TestImages.event;
import static eagle.ingest.TestImages.file;
import static eagle.ingest.TestImages.png;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.contracts.AnnotationEvent;
import eagle.contracts.DeadLetter;
import eagle.contracts.SampleEvent;
import eagle.contracts.Topics;
import eagle.infra.LocalKafka;
import eagle.ingest.blob.FileBlobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a restart, on a real KRaft broker of its own (so the service under
 * {@code @QuarkusTest} does not consume these records): the stream is stopped in the middle with
 * every accepted annotation committed but none emitted yet, more records arrive, a new instance
 * with an empty state folder (state restored from the changelogs) goes on and emits each image's
 * complete sample once.
 */
class IngestRestartTest {

    private static final String[] CLASSES = {"cat", "dog", "person"};
    private static final int IMAGES = 40;
    private static final int INSTANCES = 5;

    @TempDir static Path dir;
    private static LocalKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = LocalKafka.start(dir.resolve("kafka"), 0);
        kafka.createTopic(Topics.ANNOTATIONS, 3, false);
        kafka.createTopic(Topics.SAMPLES, 3, true);
        kafka.createTopic(Topics.HELD_OUT_SAMPLES, 3, true);
        kafka.createTopic(Topics.ANNOTATIONS_DLQ, 1, false);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private KafkaStreams streams(String stateDir, Duration emitInterval) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-restart-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(stateDir).toString());
        KafkaStreams streams =
                new KafkaStreams(
                        TopologyProducer.topology(
                                IngestConfig.defaults().withEmitInterval(emitInterval),
                                new FileBlobStore(dir.resolve("blobs"))),
                        p);
        streams.start();
        return streams;
    }

    /**
     * Instances 0..4 of image i, classes cycling cat, dog, person; then a duplicate of instance 0.
     */
    private static void publish(KafkaProducer<String, byte[]> producer, int from, int to) {
        for (int i = from; i < to; i++) {
            AnnotationEvent.ImageRef image = file(dir, "img-" + i + ".png", png(3, 4, 1000 + i));
            for (int j = 0; j < INSTANCES; j++) {
                KafkaRecords.send(
                        producer,
                        Topics.ANNOTATIONS,
                        event("img-" + i, "inst-" + j, CLASSES[j % 3], column(3, 4, j % 4), image));
            }
            KafkaRecords.send(
                    producer,
                    Topics.ANNOTATIONS,
                    event("img-" + i, "inst-0", "cat", column(3, 4, 0), image));
        }
        producer.flush();
    }

    @Test
    void aRestartInTheMiddleLosesAndDuplicatesNothing() {
        // the default split holds out img-3, 5, 14, 25, 29, 30, 32 (HeldOutSplitTest): their
        // samples go to the
        // held-out topic, before and after the restart alike, and never to the samples topic
        HeldOutSplit split = IngestConfig.defaults().heldOut();
        List<String> firstHalf =
                java.util.stream.IntStream.range(0, IMAGES / 2)
                        .mapToObj(i -> "img-" + i)
                        .filter(image -> !split.heldOut(image))
                        .toList();
        List<String> all =
                java.util.stream.IntStream.range(0, IMAGES)
                        .mapToObj(i -> "img-" + i)
                        .filter(image -> !split.heldOut(image))
                        .toList();
        List<String> heldOut =
                java.util.stream.IntStream.range(0, IMAGES)
                        .mapToObj(i -> "img-" + i)
                        .filter(split::heldOut)
                        .toList();
        assertEquals(7, heldOut.size());
        try (KafkaProducer<String, byte[]> producer =
                        KafkaRecords.producer(kafka.bootstrapServers());
                KafkaConsumer<String, byte[]> samples =
                        KafkaRecords.committedReader(kafka.bootstrapServers(), Topics.SAMPLES);
                KafkaConsumer<String, byte[]> held =
                        KafkaRecords.committedReader(
                                kafka.bootstrapServers(), Topics.HELD_OUT_SAMPLES);
                KafkaConsumer<String, byte[]> letters =
                        KafkaRecords.committedReader(
                                kafka.bootstrapServers(), Topics.ANNOTATIONS_DLQ)) {
            publish(producer, 0, IMAGES / 2);
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            // the first instance emits nothing (an hour's emit interval): its acceptances are
            // committed only as
            // aggregates and pending marks when it stops
            try (KafkaStreams first = streams("state-1", Duration.ofHours(1))) {
                // each image's duplicate is its last record: once all are dead-lettered (committed
                // with the
                // input offsets), every record of the first half was processed and committed
                dead.addAll(
                        KafkaRecords.readCommitted(
                                letters, k -> true, IMAGES / 2, Duration.ofSeconds(90)));
                assertEquals(
                        IMAGES / 2, dead.size(), "the first instance processed the first half");
                assertEquals(
                        List.of(),
                        KafkaRecords.readCommittedUntil(
                                samples, k -> true, read -> !read.isEmpty(), Duration.ofSeconds(2)),
                        "nothing emitted before the emit interval");
                first.close(Duration.ofSeconds(30));
            }
            publish(producer, IMAGES / 2, IMAGES);
            // a new instance with an empty state folder: stores restored from the changelogs
            try (KafkaStreams second = streams("state-2", Duration.ofMillis(100))) {
                List<ConsumerRecord<String, byte[]>> seen =
                        KafkaRecords.readCommittedUntil(
                                samples,
                                k -> true,
                                read ->
                                        KafkaRecords.latestSizesAre(
                                                read,
                                                all.stream()
                                                        .collect(
                                                                java.util.stream.Collectors.toMap(
                                                                        image -> image,
                                                                        image -> INSTANCES))),
                                Duration.ofSeconds(120));
                dead.addAll(
                        KafkaRecords.readCommitted(
                                letters, k -> true, IMAGES / 2, Duration.ofSeconds(60)));

                List<ConsumerRecord<String, byte[]>> heldSeen =
                        KafkaRecords.readCommittedUntil(
                                held,
                                k -> true,
                                read ->
                                        KafkaRecords.latestSizesAre(
                                                read,
                                                heldOut.stream()
                                                        .collect(
                                                                java.util.stream.Collectors.toMap(
                                                                        image -> image,
                                                                        image -> INSTANCES))),
                                Duration.ofSeconds(60));
                assertEquals(
                        new java.util.TreeSet<>(heldOut),
                        KafkaRecords.sampleSizes(heldSeen).keySet());
                KafkaRecords.assertNoRepeatedEmission(heldSeen);

                Map<String, List<Integer>> sizes = KafkaRecords.sampleSizes(seen);
                assertEquals(
                        new java.util.TreeSet<>(all),
                        sizes.keySet(),
                        "no held-out image on the samples topic");
                // the first half was pending when the second instance restored it: one emission
                // each, complete
                firstHalf.forEach(
                        image -> assertEquals(List.of(INSTANCES), sizes.get(image), image));
                sizes.forEach((image, n) -> assertEquals(INSTANCES, n.get(n.size() - 1), image));
                KafkaRecords.assertNoRepeatedEmission(seen);
                Map<String, SampleEvent> latest = new TreeMap<>();
                seen.forEach(
                        r ->
                                latest.put(
                                        r.key(),
                                        JsonSerde.of(SampleEvent.class)
                                                .deserializer()
                                                .deserialize(r.topic(), r.value())));
                latest.forEach(
                        (image, sample) ->
                                assertEquals(
                                        List.of("cat", "dog", "person", "cat", "dog"),
                                        sample.instances().stream()
                                                .map(SampleEvent.Instance::className)
                                                .toList(),
                                        image));
                assertEquals(IMAGES, dead.size());
                dead.forEach(
                        r ->
                                assertEquals(
                                        DeadLetter.Reason.DUPLICATE,
                                        JsonSerde.of(DeadLetter.class)
                                                .deserializer()
                                                .deserialize(r.topic(), r.value())
                                                .reason()));

                // per image {cat ×2, dog ×2, person ×1}
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(
                                () -> {
                                    ReadOnlyKeyValueStore<String, ClassStatistics> stats =
                                            second.store(
                                                    StoreQueryParameters.fromNameAndType(
                                                            TopologyProducer.CLASS_STATS_STORE,
                                                            QueryableStoreTypes.keyValueStore()));
                                    assertEquals(
                                            new ClassStatistics(
                                                    "cat",
                                                    2 * IMAGES,
                                                    IMAGES,
                                                    Map.of(
                                                            "dog",
                                                            (long) IMAGES,
                                                            "person",
                                                            (long) IMAGES)),
                                            stats.get("cat"));
                                    assertEquals(
                                            new ClassStatistics(
                                                    "dog",
                                                    2 * IMAGES,
                                                    IMAGES,
                                                    Map.of(
                                                            "cat",
                                                            (long) IMAGES,
                                                            "person",
                                                            (long) IMAGES)),
                                            stats.get("dog"));
                                    assertEquals(
                                            new ClassStatistics(
                                                    "person",
                                                    IMAGES,
                                                    IMAGES,
                                                    Map.of(
                                                            "cat",
                                                            (long) IMAGES,
                                                            "dog",
                                                            (long) IMAGES)),
                                            stats.get("person"));
                                });
            }
        }
    }
}
