package eagle.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

/** Kafka Streams with {@code exactly_once_v2} (transactions + a changelog) runs on one broker. */
class ExactlyOnceStreamsTest {

    @Test
    void countsWordsWithExactlyOnceV2() throws Exception {
        Path dir = TestDirs.fresh("eos");
        try (LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"), 0)) {
            kafka.createTopic("words", 1, false);
            kafka.createTopic("counts", 1, true);

            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
                    .groupBy((k, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                    .count(Materialized.with(Serdes.String(), Serdes.Long()))
                    .toStream()
                    .mapValues(String::valueOf)
                    .to("counts", Produced.with(Serdes.String(), Serdes.String()));
            Properties config = new Properties();
            config.put(StreamsConfig.APPLICATION_ID_CONFIG, "eos-word-count");
            config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
            config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);

            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    kafka.bootstrapServers()),
                            new StringSerializer(),
                            new StringSerializer())) {
                for (String w : List.of("a", "b", "a", "c", "a")) {
                    producer.send(new ProducerRecord<>("words", null, w));
                }
                producer.flush();
            }

            try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
                streams.start();
                // expected: a=3, b=1, c=1; read committed so only what the transactions committed
                // counts
                assertEquals(
                        Map.of("a", "3", "b", "1", "c", "1"), latestCounts(kafka, streams, 3, 5));
            }
        }
    }

    /**
     * Latest value per key on "counts" once {@code keys} keys are there and their total reaches
     * {@code total}.
     */
    private static Map<String, String> latestCounts(
            LocalKafka kafka, KafkaStreams streams, int keys, int total) {
        TopicPartition p0 = new TopicPartition("counts", 0);
        Map<String, String> latest = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                "false"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.assign(List.of(p0));
            consumer.seekToBeginning(List.of(p0));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline
                    && streams.state() != KafkaStreams.State.ERROR
                    && streams.state() != KafkaStreams.State.PENDING_ERROR) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), r.value());
                }
                int sum = latest.values().stream().mapToInt(Integer::parseInt).sum();
                if (latest.size() == keys && sum >= total) {
                    break;
                }
            }
        }
        return latest;
    }
}
