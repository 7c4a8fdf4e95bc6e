package eagle.infra.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.infra.SharedInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the Quarkus tests check about the JVM: how many servers run, and that Kafka serves records.
 */
final class SharedServers {

    private SharedServers() {}

    /**
     * PostgreSQL postmasters serving the shared data directory (pg_ctl detaches them from the JVM).
     */
    static long postmasters() {
        String data = SharedInfra.runDir() + "/postgres/data";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(data)).orElse(false))
                .count();
    }

    /** Threads of KRaft quorum controllers in this JVM (one per running broker+controller). */
    static long kafkaControllers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("quorum-controller-1-event-handler"))
                .count();
    }

    static void send(String bootstrap, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new StringSerializer(),
                        new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** All records of partition 0 of {@code topic}, as "key=value". */
    static List<String> read(String bootstrap, String topic) {
        TopicPartition p0 = new TopicPartition(topic, 0);
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                "false"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.assign(List.of(p0));
            consumer.seekToBeginning(List.of(p0));
            long end = consumer.endOffsets(List.of(p0)).get(p0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.position(p0) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    seen.add(r.key() + "=" + r.value());
                }
            }
            assertEquals(end, consumer.position(p0), "did not reach the end of " + topic);
        }
        return seen;
    }
}
