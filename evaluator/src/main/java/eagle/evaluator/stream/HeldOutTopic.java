package eagle.evaluator.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The held-out topic ({@code eagle.samples.heldout.v1}, docs/ARCHITECTURE.md, Events) read to its
 * end as a compacted view: the latest value per image id, a tombstone removing the image. Reads are
 * incremental (each continues where the last stopped) with one assigned consumer, never a group, so
 * nothing is committed and every evaluator instance sees the whole topic. Not thread-safe: the
 * caller serialises reads.
 */
public final class HeldOutTopic {

    private static final Duration POLL = Duration.ofMillis(500);

    /** Offsets a read covers: [from, to) of one partition. */
    public record Range(long from, long to) {}

    /**
     * The topic up to its end at the time of the read.
     *
     * @param offsets partition → [from, to) read so far (from = the partition's beginning at the
     *     first read)
     * @param live the latest value (sample.v1 JSON) of each image id not retracted
     */
    public record Snapshot(Map<Integer, Range> offsets, Map<String, String> live) {

        /** "0:[0,12) 1:[0,7)", partitions in order. */
        public String describeOffsets() {
            StringBuilder s = new StringBuilder();
            new TreeMap<>(offsets)
                    .forEach(
                            (p, r) ->
                                    s.append(s.isEmpty() ? "" : " ")
                                            .append(p)
                                            .append(":[")
                                            .append(r.from())
                                            .append(',')
                                            .append(r.to())
                                            .append(')'));
            return s.toString();
        }
    }

    private final Consumer<String, String> consumer;
    private final String topic;
    private final Duration timeout;
    private final Map<Integer, Long> from = new HashMap<>();
    private final Map<Integer, Long> next = new HashMap<>();
    private final Map<String, String> live = new HashMap<>();
    private List<TopicPartition> assigned = List.of();

    /**
     * @param consumer an unsubscribed consumer (String keys and values, auto-commit off), owned
     *     from now on
     * @param timeout the longest a read may take to reach the end offsets
     */
    public HeldOutTopic(Consumer<String, String> consumer, String topic, Duration timeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.timeout = timeout;
    }

    public String topic() {
        return topic;
    }

    /**
     * Reads from where the last read stopped to the topic's current end; a topic that does not
     * exist yet reads as empty.
     *
     * @throws IllegalStateException when the end is not reached within the timeout
     */
    public Snapshot read() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        List<TopicPartition> parts = new ArrayList<>();
        if (infos != null) {
            for (PartitionInfo i : infos) {
                parts.add(new TopicPartition(topic, i.partition()));
            }
        }
        if (!parts.equals(assigned)) {
            consumer.assign(parts);
            assigned = List.copyOf(parts);
        }
        if (parts.isEmpty()) {
            return snapshot();
        }
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
        for (TopicPartition tp : parts) {
            long b = begin.getOrDefault(tp, 0L);
            from.putIfAbsent(tp.partition(), b);
            consumer.seek(tp, Math.max(b, next.getOrDefault(tp.partition(), b)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(parts, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "cannot read "
                                + topic
                                + " to its end "
                                + end
                                + " within "
                                + timeout
                                + " (at "
                                + next
                                + ")");
            }
            for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                if (r.offset() >= end.getOrDefault(new TopicPartition(topic, r.partition()), 0L)) {
                    continue; // past this read's end: the next read takes it
                }
                if (r.key() != null) {
                    if (r.value() == null) {
                        live.remove(r.key());
                    } else {
                        live.put(r.key(), r.value());
                    }
                }
            }
        }
        for (TopicPartition tp : parts) {
            next.put(tp.partition(), end.getOrDefault(tp, 0L));
        }
        return snapshot();
    }

    private boolean reached(List<TopicPartition> parts, Map<TopicPartition, Long> end) {
        for (TopicPartition tp : parts) {
            // the position, not the last record: compaction and markers leave gaps in the offsets
            if (consumer.position(tp, timeout) < end.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    private Snapshot snapshot() {
        Map<Integer, Range> offsets = new TreeMap<>();
        from.forEach((p, f) -> offsets.put(p, new Range(f, Math.max(f, next.getOrDefault(p, f)))));
        return new Snapshot(Map.copyOf(offsets), Map.copyOf(live));
    }
}
