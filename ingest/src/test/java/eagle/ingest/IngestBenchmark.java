package eagle.ingest;

import eagle.contracts.AnnotationEvent;
import eagle.contracts.Topics;
import eagle.infra.LocalKafka;
import eagle.ingest.blob.FileBlobStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static eagle.ingest.TestImages.event;
import static eagle.ingest.TestImages.file;
import static eagle.ingest.TestImages.png;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Benchmark, not a timed test (runs only with {@code -Deagle.benchmark=true}): validated instances/s of
 * the ingest topology (exactly_once_v2) against a plain Kafka consumer reading the same records on the
 * same broker in the same run. Rate = (n − 1) / (time of the n-th record − time of the first), measured
 * on the annotations topic for the consumer and on the committed samples topic for ingest.
 * {@code -Deagle.benchmark.images=2000 -Deagle.benchmark.instances=10 -Deagle.benchmark.size=64}.
 */
@EnabledIfSystemProperty(named = "eagle.benchmark", matches = "true")
class IngestBenchmark {

    @TempDir
    Path dir;

    /** The figures of one run. */
    record Result(int records, double consumerPerSecond, double ingestPerSecond) {
        double ratio() {
            return ingestPerSecond / consumerPerSecond;
        }
    }

    @Test
    void validatedInstancesPerSecondAgainstAPlainConsumer() {
        int images = Integer.getInteger("eagle.benchmark.images", 2000);
        int instances = Integer.getInteger("eagle.benchmark.instances", 10);
        int size = Integer.getInteger("eagle.benchmark.size", 64);
        Result r = run(images, instances, size);
        System.out.printf("BENCHMARK records=%d images=%d instances/image=%d image=%dx%d consumer=%.0f/s ingest=%.0f/s ratio=%.3f%n",
                r.records(), images, instances, size, size, r.consumerPerSecond(), r.ingestPerSecond(), r.ratio());
        assertEquals(images * instances, r.records());
    }

    Result run(int images, int instances, int size) {
        try (LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"), 0)) {
            kafka.createTopic(Topics.ANNOTATIONS, 1, false);
            kafka.createTopic(Topics.SAMPLES, 1, true);
            kafka.createTopic(Topics.ANNOTATIONS_DLQ, 1, false);
            int n = images * instances;
            try (KafkaProducer<String, byte[]> producer = KafkaRecords.producer(kafka.bootstrapServers())) {
                for (int i = 0; i < images; i++) {
                    AnnotationEvent.ImageRef image = file(dir, i + ".png", png(size, size, i));
                    for (int j = 0; j < instances; j++) {
                        // instance j: column j % size, its own mask
                        KafkaRecords.send(producer, Topics.ANNOTATIONS, event("img-" + i, "inst-" + j,
                                j % 2 == 0 ? "cat" : "dog", TestImages.column(size, size, j % size), image));
                    }
                }
            }
            double consumer = rate(kafka.bootstrapServers(), Topics.ANNOTATIONS, "read_uncommitted", n, null);
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-benchmark");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.getInteger("eagle.benchmark.commit-ms", 100));
            p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
            p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
            KafkaStreams streams = new KafkaStreams(TopologyProducer.topology(IngestConfig.defaults(),
                    new FileBlobStore(dir.resolve("blobs"))), p);
            try {
                double ingest = rate(kafka.bootstrapServers(), Topics.SAMPLES, "read_committed", n, streams);
                return new Result(n, consumer, ingest);
            } finally {
                streams.close(Duration.ofSeconds(30));
            }
        }
    }

    /** Reads n records of topic; starts {@code streams} (if any) once subscribed. */
    private static double rate(String bootstrap, String topic, String isolation, int n, KafkaStreams streams) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            if (streams != null) {
                streams.start();
            }
            long first = 0;
            long last = 0;
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (seen < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value() == null) {
                        continue;
                    }
                    seen++;
                    long now = System.nanoTime();
                    if (seen == 1) {
                        first = now;
                    }
                    last = now;
                }
                if (Boolean.getBoolean("eagle.benchmark.trace")) {
                    System.out.printf("TRACE %s %d %.2f%n", topic, seen, (System.nanoTime() - first) / 1e9);
                }
            }
            if (seen < n) {
                throw new IllegalStateException("only " + seen + " of " + n + " records on " + topic);
            }
            return (n - 1) / ((last - first) / 1e9);
        }
    }
}
