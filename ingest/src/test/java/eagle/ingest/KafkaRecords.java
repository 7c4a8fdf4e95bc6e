package eagle.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import eagle.contracts.AnnotationEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: publish annotations, read committed output. */
public final class KafkaRecords {

    private KafkaRecords() {}

    public static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public static void send(
            KafkaProducer<String, byte[]> producer, String topic, AnnotationEvent event) {
        try {
            producer.send(
                    new ProducerRecord<>(
                            topic, event.imageId(), JsonSerde.MAPPER.writeValueAsBytes(event)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A read_committed consumer from the beginning of {@code topic}, with a fresh group. */
    public static KafkaConsumer<String, byte[]> committedReader(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /**
     * Reads committed records whose key matches until {@code expected} of them arrived (or the
     * timeout), then on to the end of the committed log, so that extra records (duplicates) are
     * seen too.
     */
    public static List<ConsumerRecord<String, byte[]>> readCommitted(
            KafkaConsumer<String, byte[]> consumer,
            Predicate<String> key,
            int expected,
            Duration timeout) {
        return readCommittedUntil(consumer, key, read -> read.size() >= expected, timeout);
    }

    /**
     * Reads committed records whose key matches until {@code done} holds for what was read (or the
     * timeout), then on to the end of the committed log, so that extra records (duplicates) are
     * seen too.
     */
    public static List<ConsumerRecord<String, byte[]>> readCommittedUntil(
            KafkaConsumer<String, byte[]> consumer,
            Predicate<String> key,
            Predicate<List<ConsumerRecord<String, byte[]>>> done,
            Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        while (!done.test(out) && Instant.now().isBefore(deadline)) {
            consumer.poll(Duration.ofMillis(200))
                    .forEach(
                            r -> {
                                if (r.key() != null && key.test(r.key())) {
                                    out.add(r);
                                }
                            });
        }
        // drain to the last stable offset as it is now
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                && Instant.now().isBefore(deadline.plusSeconds(10))) {
            consumer.poll(Duration.ofMillis(200))
                    .forEach(
                            r -> {
                                if (r.key() != null && key.test(r.key())) {
                                    out.add(r);
                                }
                            });
        }
        return out;
    }

    /**
     * Instances per sample, in topic order, per image id ({@code -1} for a tombstone). An image
     * that is emitted several times shows each emission; since one is written only when something
     * new was accepted for the image, a re-written (duplicated) emission shows as a repeated size.
     */
    public static Map<String, List<Integer>> sampleSizes(
            List<ConsumerRecord<String, byte[]>> samples) {
        Map<String, List<Integer>> out = new java.util.TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : samples) {
            int n =
                    r.value() == null
                            ? -1
                            : JsonSerde.of(eagle.contracts.SampleEvent.class)
                                    .deserializer()
                                    .deserialize(r.topic(), r.value())
                                    .instances()
                                    .size();
            out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(n);
        }
        return out;
    }

    /**
     * Whether the latest sample of each image in {@code instances} has that many instances (a
     * negative count: the latest record is a tombstone).
     */
    public static boolean latestSizesAre(
            List<ConsumerRecord<String, byte[]>> samples, Map<String, Integer> instances) {
        Map<String, List<Integer>> sizes = sampleSizes(samples);
        return instances.entrySet().stream()
                .allMatch(
                        e ->
                                sizes.containsKey(e.getKey())
                                        && sizes.get(e.getKey())
                                                .get(sizes.get(e.getKey()).size() - 1)
                                                .equals(e.getValue()));
    }

    /**
     * Fails unless each image's successive samples grow strictly (a tombstone starts the image
     * over): an emission is written only when something new was accepted, so a repeated size is a
     * duplicated emission.
     */
    public static void assertNoRepeatedEmission(List<ConsumerRecord<String, byte[]>> samples) {
        sampleSizes(samples)
                .forEach(
                        (image, sizes) -> {
                            for (int i = 1; i < sizes.size(); i++) {
                                if (sizes.get(i) >= 0
                                        && sizes.get(i - 1) >= 0
                                        && sizes.get(i) <= sizes.get(i - 1)) {
                                    throw new AssertionError(
                                            image + " emitted the same state twice: " + sizes);
                                }
                            }
                        });
    }
}
