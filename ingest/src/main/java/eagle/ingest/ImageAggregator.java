package eagle.ingest;

import eagle.contracts.DeadLetter;
import eagle.ingest.blob.BlobWriteBehind;
import eagle.ingest.validate.AnnotationParser;
import eagle.ingest.validate.AnnotationValidator;
import eagle.ingest.validate.ParsedAnnotation;
import eagle.ingest.validate.Rejection;
import eagle.ingest.validate.ValidatedAnnotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stateful step. Each annotation record (key image id, value JSON bytes or null) is parsed and
 * validated, checked for a duplicate against the image's {@link ImageAggregate} and added to it; a
 * rejection is forwarded at once as {@link Outcome.Rejected}. Accepted annotations only mark their
 * image pending ({@link PendingSample}); every emit interval (wall-clock punctuation) each pending
 * image's whole current sample is forwarded once, as {@link Outcome.Accepted}, with the class
 * deltas from what the statistics counted for the image to what it holds now. A tombstone deletes
 * the aggregate and the pending mark and forwards {@link Outcome.Retracted} at once. Every
 * record-caused failure becomes a rejection; the stream never stops for a poison record.
 *
 * <p>Exactly-once: the aggregate and the pending mark are written to their (logged) stores when the
 * record is processed, and the emission clears the mark in the same transaction as it writes the
 * sample. A commit that falls between an annotation and its emission therefore leaves the mark in
 * the committed changelog, and a restarted task emits it; an aborted transaction restores both
 * stores and re-initialises this processor, which reloads the pending image ids. New images' blobs
 * are written behind the stream thread ({@link BlobWriteBehind}); the images store waits for them
 * before a commit ({@link BlobAwaitingStoreSupplier}) and the emission before it sends.
 */
final class ImageAggregator implements Processor<String, byte[], String, Outcome> {

    /** How many aggregates the processor keeps deserialised (most recently used first). */
    static final int RECENT_IMAGES = 1024;

    private final AnnotationParser parser;
    private final AnnotationValidator validator;
    private final BlobWriteBehind blobs;
    private final Duration emitInterval;
    private final IngestMetrics metrics;
    private ProcessorContext<String, Outcome> context;
    private KeyValueStore<String, StoredAggregate> images;
    private KeyValueStore<String, PendingSample> pending;

    /**
     * The keys of {@link #pending}, in the order they became pending (the store is the truth), each
     * with its latest aggregate (null for a mark restored from the store: read at emission). The
     * emission reads the aggregates from here: more images than {@link #recent} holds may become
     * pending within an emit interval, and reading those back from the store cost a JSON parse
     * each. Bounded like the in-memory pending store itself, by the images changed within an
     * interval.
     */
    private final Map<String, StoredAggregate> pendingIds = new LinkedHashMap<>();

    /**
     * Read-through, write-through copy of the latest aggregates this processor wrote or read, so an
     * image's annotations in a row do not deserialise its aggregate from the store each time, and
     * each appends its instance to the aggregate's JSON ({@link StoredAggregate}) instead of
     * writing it whole (the store stays the truth: every change is written to it first). Emptied on
     * {@link #init} and {@link #close}: a task that is revived after an aborted transaction
     * re-initialises its processors after its stores are restored, so the copy never outlives the
     * state it mirrors.
     */
    private final Map<String, StoredAggregate> recent =
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, StoredAggregate> eldest) {
                    return size() > RECENT_IMAGES;
                }
            };

    ImageAggregator(
            AnnotationParser parser,
            AnnotationValidator validator,
            BlobWriteBehind blobs,
            Duration emitInterval,
            IngestMetrics metrics) {
        this.parser = parser;
        this.validator = validator;
        this.blobs = blobs;
        this.emitInterval = emitInterval;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.images = context.getStateStore(TopologyProducer.IMAGES_STORE);
        this.pending = context.getStateStore(TopologyProducer.PENDING_STORE);
        recent.clear();
        pendingIds.clear();
        try (KeyValueIterator<String, PendingSample> all = pending.all()) {
            all.forEachRemaining(kv -> pendingIds.put(kv.key, null));
        }
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, this::emitPending);
    }

    @Override
    public void close() {
        recent.clear();
        pendingIds.clear();
    }

    private StoredAggregate aggregate(String imageId) {
        StoredAggregate known = recent.get(imageId);
        if (known == null) {
            known = images.get(imageId);
            if (known != null) {
                recent.put(imageId, known);
            }
        }
        return known;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        metrics.consumed();
        String imageId = record.key();
        byte[] value = record.value();
        if (imageId == null) {
            reject(
                    record,
                    new Rejection(
                            DeadLetter.Reason.SCHEMA,
                            "record without key (the key must be the image id)"));
            return;
        }
        if (value == null) {
            retract(record, imageId);
            return;
        }
        try {
            ParsedAnnotation parsed = parser.parse(imageId, value);
            StoredAggregate stored = aggregate(imageId);
            ImageAggregate before = stored == null ? null : stored.aggregate();
            ValidatedAnnotation accepted =
                    validator.validate(parsed, before == null ? null : before.image());
            if (before != null && before.holds(accepted)) {
                throw new Rejection(
                        DeadLetter.Reason.DUPLICATE,
                        "instance "
                                + accepted.instanceId()
                                + " of image "
                                + imageId
                                + " is already accepted with identical content");
            }
            StoredAggregate start =
                    stored == null
                            ? StoredAggregate.of(ImageAggregate.empty(imageId, accepted.image()))
                            : stored;
            StoredAggregate after = start.updateFrom(accepted);
            recent.remove(imageId);
            images.put(imageId, after);
            recent.put(imageId, after);
            metrics.validated();
            boolean wasPending = pendingIds.containsKey(imageId);
            pendingIds.put(imageId, after);
            if (!wasPending) {
                // not pending: the statistics count what was last emitted, which is the state
                // before this annotation
                pending.put(
                        imageId,
                        new PendingSample(
                                start.aggregate().classCounts(), context.currentSystemTimeMs()));
            }
        } catch (Rejection r) {
            reject(record, r);
        }
    }

    /**
     * A tombstone: the image's aggregate and pending mark go, a tombstone sample follows at once.
     */
    private void retract(Record<String, byte[]> record, String imageId) {
        recent.remove(imageId);
        pendingIds.remove(imageId);
        PendingSample unsent = pending.delete(imageId);
        StoredAggregate before = images.delete(imageId);
        Map<String, Integer> counted =
                unsent != null
                        ? unsent.countedClasses()
                        : before == null ? Map.of() : before.aggregate().classCounts();
        context.forward(
                record.withValue(new Outcome.Retracted(ClassDelta.between(counted, Map.of()))));
    }

    /**
     * Forwards the whole current sample of every pending image, once each, and clears the marks.
     */
    void emitPending(long now) {
        if (pendingIds.isEmpty()) {
            return;
        }
        // no sample before its blob (the images store makes commits wait too; this covers
        // at-least-once, where a sample is visible as soon as it is sent)
        blobs.awaitWritten();
        List<KeyValue<String, ImageAggregate>> due = new ArrayList<>(pendingIds.size());
        for (Map.Entry<String, StoredAggregate> mark : pendingIds.entrySet()) {
            String imageId = mark.getKey();
            StoredAggregate stored = mark.getValue() != null ? mark.getValue() : aggregate(imageId);
            due.add(KeyValue.pair(imageId, stored == null ? null : stored.aggregate()));
        }
        for (KeyValue<String, ImageAggregate> next : due) {
            PendingSample mark = pending.delete(next.key);
            pendingIds.remove(next.key);
            if (mark == null || next.value == null) {
                throw new IllegalStateException(
                        "pending image " + next.key + " has no pending mark or no aggregate");
            }
            List<ClassDelta> deltas =
                    ClassDelta.between(mark.countedClasses(), next.value.classCounts());
            context.forward(
                    new Record<>(
                            next.key, new Outcome.Accepted(next.value.toSample(), deltas), now));
            if (mark.markedAt() > 0) {
                metrics.emitted(now - mark.markedAt());
            }
        }
    }

    private void reject(Record<String, byte[]> record, Rejection r) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        DeadLetter letter =
                new DeadLetter(
                        DeadLetter.SCHEMA_VERSION,
                        r.reason(),
                        r.getMessage(),
                        record.key(),
                        source.topic(),
                        source.partition(),
                        source.offset(),
                        record.value() == null
                                ? null
                                : Base64.getEncoder().encodeToString(record.value()),
                        Instant.now().toString());
        context.forward(record.withValue(new Outcome.Rejected(letter)));
        metrics.deadLettered(letter, record.value());
    }
}
