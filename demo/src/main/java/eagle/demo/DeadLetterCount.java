package eagle.demo;

import eagle.contracts.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** How many records the annotations' dead-letter topic holds (committed records only). */
final class DeadLetterCount {

    private DeadLetterCount() {}

    /** The count, or -1 when the broker cannot be asked. */
    static long of(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(Topics.ANNOTATIONS_DLQ, Duration.ofSeconds(3)).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            // read_committed end offsets include the transaction markers; count the records instead
            c.assign(parts);
            c.seekToBeginning(parts);
            long n = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            while (System.nanoTime() < deadline) {
                n += c.poll(Duration.ofMillis(200)).count();
                boolean done = true;
                for (TopicPartition tp : parts) {
                    done &= c.position(tp) >= ends.get(tp);
                }
                if (done) {
                    break;
                }
            }
            return n;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
