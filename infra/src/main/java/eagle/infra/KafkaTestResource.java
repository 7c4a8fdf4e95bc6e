package eagle.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at the JVM's shared real Kafka 4.1 KRaft broker ({@link
 * SharedInfra}).
 *
 * <p>Returns {@code kafka.bootstrap.servers} (Quarkus Messaging and the Kafka client), {@code
 * quarkus.kafka-streams.bootstrap-servers}, {@code kafka-streams.state.dir} (a folder in the run
 * folder, not /tmp) and turns Dev Services off. {@link #stop()} leaves the broker running for the
 * rest of the JVM; a shutdown hook stops it.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return SharedInfra.kafkaConfig();
    }

    @Override
    public void stop() {
        // shared for the whole JVM; the shutdown hook of SharedInfra stops it
    }

    /** {@code localhost:<port>} of the shared broker. */
    public static String bootstrapServers() {
        return SharedInfra.bootstrapServers();
    }

    /** Creates a topic (replication factor 1) unless it exists; true when created. */
    public static boolean createTopic(String name, int partitions, boolean compacted) {
        return SharedInfra.createTopic(name, partitions, compacted);
    }

    /** Stops the shared broker ("the broker went away mid-stream"); its log directory is kept. */
    public static void stopBroker() {
        SharedInfra.stopKafka();
    }

    /** Starts the shared broker again on the same port with the same topics and records. */
    public static void restartBroker() {
        SharedInfra.restartKafka();
    }
}
