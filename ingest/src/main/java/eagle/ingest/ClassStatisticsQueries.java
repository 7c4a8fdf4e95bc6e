package eagle.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Interactive queries on {@link TopologyProducer#CLASS_STATS_STORE}. */
@ApplicationScoped
public class ClassStatisticsQueries {

    @Inject KafkaStreams streams;

    /**
     * This instance's {@code application.server} (host:port), when several instances share the
     * work.
     */
    @ConfigProperty(name = "quarkus.kafka-streams.application-server")
    Optional<String> applicationServer;

    public StatisticsResult byClass(String className) {
        KeyQueryMetadata metadata =
                streams.queryMetadataForKey(
                        TopologyProducer.CLASS_STATS_STORE,
                        className,
                        Serdes.String().serializer());
        if (applicationServer.isPresent()
                && metadata != null
                && metadata != KeyQueryMetadata.NOT_AVAILABLE) {
            String owner = metadata.activeHost().host() + ":" + metadata.activeHost().port();
            if (!owner.equals(applicationServer.get())) {
                return new StatisticsResult.FoundElsewhere(
                        metadata.activeHost().host(), metadata.activeHost().port());
            }
        }
        return StatisticsResult.of(className, Optional.ofNullable(store().get(className)));
    }

    /** Every class held by this instance, sorted by name. */
    public List<ClassStatistics> all() {
        List<ClassStatistics> out = new ArrayList<>();
        try (KeyValueIterator<String, ClassStatistics> it = store().all()) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        out.sort(java.util.Comparator.comparing(ClassStatistics::className));
        return out;
    }

    private ReadOnlyKeyValueStore<String, ClassStatistics> store() {
        return streams.store(
                StoreQueryParameters.fromNameAndType(
                        TopologyProducer.CLASS_STATS_STORE, QueryableStoreTypes.keyValueStore()));
    }
}
