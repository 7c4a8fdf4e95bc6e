package eagle.ingest;

import eagle.contracts.AnnotationEvent;
import eagle.contracts.DeadLetter;
import eagle.contracts.SampleEvent;
import eagle.contracts.Topics;
import eagle.infra.LocalKafka;
import eagle.ingest.blob.FileBlobStore;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static eagle.ingest.TestImages.column;
import static eagle.ingest.TestImages.event;
import static eagle.ingest.TestImages.file;
import static eagle.ingest.TestImages.png;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once across a restart, on a real KRaft broker of its own (so the service under
 * {@code @QuarkusTest} does not consume these records): the stream is stopped in the middle, more
 * records arrive, a new instance with an empty state folder (state restored from the changelogs) goes on.
 */
class IngestRestartTest {

    private static final String[] CLASSES = {"cat", "dog", "person"};
    private static final int IMAGES = 40;
    private static final int INSTANCES = 5;

    @TempDir
    static Path dir;
    private static LocalKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = LocalKafka.start(dir.resolve("kafka"), 0);
        kafka.createTopic(Topics.ANNOTATIONS, 3, false);
        kafka.createTopic(Topics.SAMPLES, 3, true);
        kafka.createTopic(Topics.ANNOTATIONS_DLQ, 1, false);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private KafkaStreams streams(String stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-restart-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(stateDir).toString());
        KafkaStreams streams = new KafkaStreams(TopologyProducer.topology(IngestConfig.defaults(),
                new FileBlobStore(dir.resolve("blobs"))), p);
        streams.start();
        return streams;
    }

    /** Instances 0..4 of image i, classes cycling cat, dog, person; then a duplicate of instance 0. */
    private static void publish(KafkaProducer<String, byte[]> producer, int from, int to) {
        for (int i = from; i < to; i++) {
            AnnotationEvent.ImageRef image = file(dir, "img-" + i + ".png", png(3, 4, 1000 + i));
            for (int j = 0; j < INSTANCES; j++) {
                KafkaRecords.send(producer, Topics.ANNOTATIONS,
                        event("img-" + i, "inst-" + j, CLASSES[j % 3], column(3, 4, j % 4), image));
            }
            KafkaRecords.send(producer, Topics.ANNOTATIONS, event("img-" + i, "inst-0", "cat", column(3, 4, 0), image));
        }
        producer.flush();
    }

    @Test
    void aRestartInTheMiddleLosesAndDuplicatesNothing() {
        try (KafkaProducer<String, byte[]> producer = KafkaRecords.producer(kafka.bootstrapServers());
             KafkaConsumer<String, byte[]> samples = KafkaRecords.committedReader(kafka.bootstrapServers(), Topics.SAMPLES);
             KafkaConsumer<String, byte[]> letters = KafkaRecords.committedReader(kafka.bootstrapServers(), Topics.ANNOTATIONS_DLQ)) {
            publish(producer, 0, IMAGES / 2);
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            try (KafkaStreams first = streams("state-1")) {
                seen.addAll(KafkaRecords.readCommitted(samples, k -> true, 30, Duration.ofSeconds(90)));
                assertTrue(seen.size() >= 30, "the first instance made progress");
                first.close(Duration.ofSeconds(30));
            }
            publish(producer, IMAGES / 2, IMAGES);
            try (KafkaStreams second = streams("state-2")) {
                seen.addAll(KafkaRecords.readCommitted(samples, k -> true, IMAGES * INSTANCES - seen.size(), Duration.ofSeconds(120)));
                List<ConsumerRecord<String, byte[]>> dead = KafkaRecords.readCommitted(letters, k -> true, IMAGES, Duration.ofSeconds(60));

                assertEquals(IMAGES * INSTANCES, seen.size(), "one committed sample per accepted annotation");
                Map<String, List<Integer>> sizes = new TreeMap<>();
                for (ConsumerRecord<String, byte[]> r : seen) {
                    SampleEvent s = JsonSerde.of(SampleEvent.class).deserializer().deserialize(r.topic(), r.value());
                    sizes.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(s.instances().size());
                }
                assertEquals(IMAGES, sizes.size());
                sizes.forEach((image, n) -> assertEquals(List.of(1, 2, 3, 4, 5), n, image));
                assertEquals(IMAGES, dead.size());
                dead.forEach(r -> assertEquals(DeadLetter.Reason.DUPLICATE,
                        JsonSerde.of(DeadLetter.class).deserializer().deserialize(r.topic(), r.value()).reason()));

                // per image {cat ×2, dog ×2, person ×1}
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    ReadOnlyKeyValueStore<String, ClassStatistics> stats = second.store(StoreQueryParameters
                            .fromNameAndType(TopologyProducer.CLASS_STATS_STORE, QueryableStoreTypes.keyValueStore()));
                    assertEquals(new ClassStatistics("cat", 2 * IMAGES, IMAGES, Map.of("dog", (long) IMAGES, "person", (long) IMAGES)), stats.get("cat"));
                    assertEquals(new ClassStatistics("dog", 2 * IMAGES, IMAGES, Map.of("cat", (long) IMAGES, "person", (long) IMAGES)), stats.get("dog"));
                    assertEquals(new ClassStatistics("person", IMAGES, IMAGES, Map.of("cat", (long) IMAGES, "dog", (long) IMAGES)), stats.get("person"));
                });
            }
        }
    }
}
