package eagle.trainer;

import eagle.contracts.OffsetRange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The round's intake from {@code eagle.samples.v1}: a plain consumer (no auto-commit, {@code
 * read_committed}, every partition assigned by the trainer) that seeks to the durable positions,
 * collects decoded samples until the round trigger, and commits a round's positions once its
 * checkpoint holds them. Nothing collected here is durable until the round starts; skipped records
 * and instances are counted in the intake's own {@link SkipCounts}, which join the durable counts
 * with the round.
 */
final class SampleIntake implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SampleIntake.class);

    private final TrainerSettings settings;
    private final SampleDecoder decoder;
    private final SkipCounts skips;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private List<TopicPartition> partitions = List.of();

    private final List<SampleRecord> records = new ArrayList<>();
    private final Map<String, DecodedSample> samples = new LinkedHashMap<>();
    private final Map<Integer, long[]> consumed = new TreeMap<>();
    private final Map<Integer, Long> positions = new TreeMap<>();

    SampleIntake(TrainerSettings settings, SampleDecoder decoder, SkipCounts skips) {
        this.settings = settings;
        this.decoder = decoder;
        this.skips = skips;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Assigns every partition of the topic (waiting while the topic has none and {@code running}
     * holds).
     */
    void assign(BooleanSupplier running) {
        List<PartitionInfo> infos = List.of();
        while (running.getAsBoolean() && infos.isEmpty()) {
            infos = consumer.partitionsFor(settings.topic(), Duration.ofSeconds(10));
            if (infos == null) {
                infos = List.of();
            }
        }
        partitions =
                infos.stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition()))
                        .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                        .toList();
        consumer.assign(partitions);
    }

    /**
     * Seeks every partition to its stored position; with none stored at all, to the group's
     * committed offsets (or the beginning). The intake starts empty from there.
     */
    void seek(Map<Integer, Long> stored) {
        Map<TopicPartition, OffsetAndMetadata> committed =
                stored.isEmpty() ? consumer.committed(new HashSet<>(partitions)) : Map.of();
        for (TopicPartition tp : partitions) {
            Long pos = stored.get(tp.partition());
            if (pos == null && committed.get(tp) != null) {
                pos = committed.get(tp).offset();
            }
            if (pos == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, pos);
            }
        }
        clear();
        for (TopicPartition tp : partitions) {
            positions.put(tp.partition(), consumer.position(tp));
        }
    }

    /**
     * Reads one poll's records into the intake; true when the round trigger was reached (the rest
     * waits).
     */
    boolean poll() {
        for (ConsumerRecord<byte[], byte[]> r :
                consumer.poll(Duration.ofMillis(settings.pollMillis()))) {
            if (r.offset() < positions.getOrDefault(r.partition(), 0L)) {
                continue; // re-delivered after a seek back
            }
            accept(r);
            if (triggered()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Seeks back to just after the intake: records polled after the trigger wait for the next
     * round.
     */
    void rewind() {
        for (TopicPartition tp : partitions) {
            consumer.seek(tp, positions.get(tp.partition()));
        }
    }

    /** Kafka's copy of the positions (a convenience: the checkpoint already holds them). */
    void commit(Map<Integer, Long> at) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        at.forEach(
                (p, o) ->
                        offsets.put(
                                new TopicPartition(settings.topic(), p), new OffsetAndMetadata(o)));
        try {
            consumer.commitSync(offsets);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "offset commit failed (the checkpoint keeps the positions): %s", e.toString());
        }
    }

    /**
     * Takes one record into the intake: a tombstone retracts, a valid sample joins, a bad one is
     * skipped.
     */
    private void accept(ConsumerRecord<byte[], byte[]> r) {
        long[] range =
                consumed.computeIfAbsent(
                        r.partition(), p -> new long[] {r.offset(), r.offset() + 1});
        range[1] = r.offset() + 1;
        positions.put(r.partition(), r.offset() + 1);
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            if (key != null) {
                records.removeIf(s -> key.equals(s.key()));
                samples.remove(key);
                records.add(new SampleRecord(r.partition(), r.offset(), key, null));
                LOG.infof("image %s retracted", key);
            }
            return;
        }
        String value = new String(r.value(), StandardCharsets.UTF_8);
        SampleDecoder.Outcome outcome = decoder.decode(key, value);
        String where = key + "@" + r.partition() + ":" + r.offset();
        for (SampleDecoder.InstanceSkip skip : outcome.instanceSkips()) {
            skips.add(skip.reason(), where + ": " + skip.description());
            LOG.warnf("instance skipped (%s: %s)", where, skip.description());
        }
        if (!outcome.ok()) {
            skips.add(outcome.reason(), where + ": " + outcome.problem());
            LOG.warnf("sample skipped (%s: %s)", where, outcome.problem());
            return;
        }
        records.removeIf(s -> key.equals(s.key()));
        samples.remove(key);
        records.add(new SampleRecord(r.partition(), r.offset(), key, value));
        samples.put(key, outcome.sample());
    }

    boolean triggered() {
        return samples.size() >= settings.minSamples() && classes().size() >= settings.minClasses();
    }

    int sampleCount() {
        return samples.size();
    }

    TreeSet<String> classes() {
        TreeSet<String> classes = new TreeSet<>();
        samples.values().forEach(s -> s.instances().forEach(i -> classes.add(i.className())));
        return classes;
    }

    /** The intake's records in consumption order (the latest of each key, tombstones included). */
    List<SampleRecord> records() {
        return List.copyOf(records);
    }

    /** Offset ranges [from, until) consumed per partition. */
    List<OffsetRange> manifest() {
        List<OffsetRange> manifest = new ArrayList<>();
        consumed.forEach(
                (p, range) ->
                        manifest.add(OffsetRange.of(settings.topic(), p, range[0], range[1])));
        return manifest;
    }

    /** partition → next offset after the intake */
    Map<Integer, Long> positions() {
        return new TreeMap<>(positions);
    }

    /** Forgets the intake (after its round closed, or when it was dropped undurable). */
    void clear() {
        records.clear();
        samples.clear();
        consumed.clear();
        skips.clear();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
