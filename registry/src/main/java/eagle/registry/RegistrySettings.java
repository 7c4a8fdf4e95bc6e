package eagle.registry;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/**
 * {@code eagle.registry.*}: the registry's own settings. Every default is in application.properties
 * (one place, next to the Quarkus settings they go with), none here.
 */
@ConfigMapping(prefix = "eagle.registry")
public interface RegistrySettings {

    Artifact artifact();

    Json json();

    Outbox outbox();

    /** {@code eagle.registry.artifact.*} */
    interface Artifact {

        /** Largest artifact accepted, bytes (uploads are streamed: this does not size the heap). */
        long maxBytes();

        /** Longest upload transaction, seconds. */
        int uploadTimeoutSeconds();
    }

    /** {@code eagle.registry.json.*} */
    interface Json {

        /** Largest JSON request body, bytes. */
        long maxBytes();
    }

    /**
     * {@code eagle.registry.outbox.*}: the relay that publishes the outbox (docs/ARCHITECTURE.md,
     * Registry).
     */
    interface Outbox {

        /** Whether the relay publishes at all. */
        boolean enabled();

        /**
         * How often the relay polls for unsent rows (read by the scheduler, declared here to be
         * validated).
         */
        Duration pollInterval();

        /**
         * The delay before the relay's first poll (read by the scheduler, declared here to be
         * validated).
         */
        Duration initialDelay();

        /** Most rows sent per poll. */
        int batchSize();

        /**
         * How long one send (and the topic creation) may take before the relay gives up until the
         * next poll.
         */
        Duration sendTimeout();

        /** Whether the relay creates the events topic if absent (off where topics are managed). */
        boolean createTopic();

        /** Partitions of the events topic the relay creates. */
        int topicPartitions();
    }
}
