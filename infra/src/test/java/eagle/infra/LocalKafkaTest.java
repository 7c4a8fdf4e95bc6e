package eagle.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One broker for the class: starting KRaft costs seconds, each test uses its own topics. */
class LocalKafkaTest {

    private static LocalKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.start(TestDirs.fresh("kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void producesAndConsumesARecord() throws Exception {
        assertTrue(kafka.createTopic("plain", 2, false));
        assertFalse(kafka.createTopic("plain", 2, false));
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>("plain", "k1", "v1")).get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of("k1=v1"), readAll("plain", IsolationLevel.READ_UNCOMMITTED, 1));
    }

    @Test
    void createsCompactedTopics() throws Exception {
        kafka.createTopic("table", 3, true);
        try (var admin = kafka.admin()) {
            assertEquals(
                    3,
                    admin.describeTopics(List.of("table"))
                            .allTopicNames()
                            .get()
                            .get("table")
                            .partitions()
                            .size());
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, "table");
            String policy =
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get()
                            .get(resource)
                            .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                            .value();
            assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, policy);
        }
    }

    @Test
    void transactionalProducerCommitsAndAborts() throws Exception {
        kafka.createTopic("tx", 1, false);
        try (KafkaProducer<String, String> producer =
                producer(
                        Map.of(
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                "tx-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "a", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "b", "committed"));
            producer.commitTransaction();
        }
        assertEquals(List.of("b=committed"), readAll("tx", IsolationLevel.READ_COMMITTED, 1));
    }

    @Test
    void restartKeepsTopicsAndRecordsOnTheSamePort() throws Exception {
        kafka.createTopic("durable", 1, false);
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>("durable", "x", "before-restart"))
                    .get(30, TimeUnit.SECONDS);
        }
        String bootstrap = kafka.bootstrapServers();

        kafka.stop();
        assertFalse(kafka.isRunning());
        kafka.restart();

        assertEquals(bootstrap, kafka.bootstrapServers());
        assertTrue(kafka.topics().contains("durable"));
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>("durable", "y", "after-restart"))
                    .get(30, TimeUnit.SECONDS);
        }
        assertEquals(
                List.of("x=before-restart", "y=after-restart"),
                readAll("durable", IsolationLevel.READ_UNCOMMITTED, 2));
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Reads all partitions of {@code topic} from the beginning, in order per partition. */
    private static List<String> readAll(String topic, IsolationLevel isolation, int expected) {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        isolation.toString(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        "false");
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // done when the expected count arrived and the positions reached the (last stable) end
            // offsets
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    seen.add(r.key() + "=" + r.value());
                }
                if (seen.size() >= expected && reached(consumer, consumer.endOffsets(partitions))) {
                    break;
                }
            }
        }
        assertEquals(expected, seen.size(), () -> "records in " + topic + ": " + seen);
        return seen;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
