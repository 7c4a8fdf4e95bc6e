package eagle.ingest;

import eagle.contracts.DeadLetter;
import eagle.contracts.SampleEvent;
import eagle.contracts.Topics;
import eagle.ingest.blob.BlobStore;
import eagle.ingest.blob.BlobWriteBehind;
import eagle.ingest.blob.FileBlobStore;
import eagle.ingest.validate.AnnotationParser;
import eagle.ingest.validate.AnnotationValidator;
import eagle.ingest.validate.ImageSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ingest topology (docs/ARCHITECTURE.md, Events).
 *
 * <pre>
 * eagle.annotations.v1 (key image id, value annotation JSON | tombstone)
 *   └─ ImageAggregator [images: image id → ImageAggregate; pending-samples: image id → PendingSample]
 *        ├─ Rejected  → eagle.annotations.dlq.v1 (key image id, value DeadLetter JSON)            at once
 *        ├─ Accepted  → eagle.samples.v1         (key image id, value SampleEvent JSON: the whole
 *        │                                         current sample)          once per changed image per emit interval
 *        ├─ Retracted → eagle.samples.v1         (key image id, tombstone)                        at once
 *        └─ ClassDelta per class → repartition by class → class-stats store (class → ClassStatistics)
 * </pre>
 */
@ApplicationScoped
public class TopologyProducer {

    /**
     * Per-image state: image id → {@link ImageAggregate} (as {@link StoredAggregate}: the
     * aggregate's JSON).
     */
    public static final String IMAGES_STORE = "images";

    /**
     * Images accepted into since their last emission: image id → {@link PendingSample} (in memory,
     * logged).
     */
    public static final String PENDING_STORE = "pending-samples";

    /** Class statistics: class name → {@link ClassStatistics}; queried over REST. */
    public static final String CLASS_STATS_STORE = "class-stats";

    /**
     * Name of the repartition of class deltas by class (internal topic {@code <app
     * id>-class-deltas-repartition}).
     */
    public static final String CLASS_DELTAS = "class-deltas";

    @Produces
    @ApplicationScoped
    BlobStore blobStore(@ConfigProperty(name = "eagle.blobs.dir") Path root) {
        return new FileBlobStore(root);
    }

    /**
     * The topology's observations, on the service's meter registry (Prometheus at {@code
     * /q/metrics}).
     */
    @Produces
    @ApplicationScoped
    IngestMetrics metrics(MeterRegistry meters) {
        return new IngestMetrics(meters);
    }

    @Produces
    public Topology buildTopology(IngestSettings settings, BlobStore blobs, IngestMetrics metrics) {
        return topology(settings.toConfig(), blobs, metrics);
    }

    /**
     * The topology for a configuration and a blob store, its metrics unregistered; tests build it
     * directly.
     */
    public static Topology topology(IngestConfig config, BlobStore blobs) {
        return topology(config, blobs, IngestMetrics.unregistered());
    }

    /** The topology for a configuration and a blob store, observed by {@code metrics}. */
    public static Topology topology(IngestConfig config, BlobStore blobs, IngestMetrics metrics) {
        AnnotationParser parser = new AnnotationParser(config, JsonSerde.MAPPER);
        // blobs are written behind the stream thread; the images store waits for them before
        // any aggregate that names one can be committed, the emission before any sample is sent
        BlobWriteBehind writes = new BlobWriteBehind(blobs);
        AnnotationValidator validator =
                new AnnotationValidator(config, new ImageSource(config.fetchTimeout()), writes);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                                new BlobAwaitingStoreSupplier(
                                        Stores.persistentKeyValueStore(IMAGES_STORE), writes),
                                Serdes.String(),
                                StoredAggregate.serde())
                        .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(PENDING_STORE),
                        Serdes.String(),
                        JsonSerde.of(PendingSample.class)));

        KStream<String, Outcome> outcomes =
                builder.stream(
                                Topics.ANNOTATIONS,
                                Consumed.with(Serdes.String(), Serdes.ByteArray()))
                        .process(
                                () ->
                                        new ImageAggregator(
                                                parser,
                                                validator,
                                                writes,
                                                config.emitInterval(),
                                                metrics),
                                IMAGES_STORE,
                                PENDING_STORE);

        // each outcome goes to exactly one branch (Outcome is sealed: these three are all there
        // are)
        outcomes.split(Named.as("outcome-"))
                .branch(
                        (imageId, outcome) -> outcome instanceof Outcome.Rejected,
                        Branched.withConsumer(
                                rejected ->
                                        rejected.mapValues(
                                                        outcome ->
                                                                ((Outcome.Rejected) outcome)
                                                                        .letter())
                                                .to(
                                                        Topics.ANNOTATIONS_DLQ,
                                                        Produced.with(
                                                                Serdes.String(),
                                                                JsonSerde.of(DeadLetter.class))),
                                "rejected"))
                .branch(
                        (imageId, outcome) -> outcome instanceof Outcome.Accepted,
                        Branched.withConsumer(
                                accepted ->
                                        accepted.mapValues(
                                                        outcome ->
                                                                ((Outcome.Accepted) outcome)
                                                                        .sample())
                                                .to(heldOutOrSamples(config.heldOut()), samples()),
                                "accepted"))
                .branch(
                        (imageId, outcome) -> outcome instanceof Outcome.Retracted,
                        Branched.withConsumer(
                                retracted ->
                                        retracted
                                                .mapValues(outcome -> (SampleEvent) null)
                                                .to(heldOutOrSamples(config.heldOut()), samples()),
                                "retracted"))
                .noDefaultBranch();

        outcomes.flatMap(
                        (imageId, outcome) ->
                                outcome.deltas().stream()
                                        .map(delta -> KeyValue.pair(delta.className(), delta))
                                        .toList())
                .groupByKey(
                        Grouped.with(CLASS_DELTAS, Serdes.String(), JsonSerde.of(ClassDelta.class)))
                .aggregate(
                        ClassStatistics::initial,
                        (className, delta, stats) -> stats.updateFrom(delta),
                        Materialized.<String, ClassStatistics, KeyValueStore<Bytes, byte[]>>as(
                                        CLASS_STATS_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(JsonSerde.of(ClassStatistics.class)));
        return builder.build();
    }

    /**
     * An image's samples and tombstones go to the held-out topic or the samples topic, by its id
     * alone.
     */
    private static TopicNameExtractor<String, SampleEvent> heldOutOrSamples(HeldOutSplit split) {
        return (imageId, sample, context) -> split.topicOf(imageId);
    }

    private static Produced<String, SampleEvent> samples() {
        return Produced.with(
                Serdes.String(), JsonSerde.of(SampleEvent.class, StreamingJson::writeSample));
    }
}
