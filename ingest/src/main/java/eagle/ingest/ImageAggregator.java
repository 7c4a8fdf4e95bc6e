package eagle.ingest;

import eagle.contracts.DeadLetter;
import eagle.ingest.validate.AnnotationParser;
import eagle.ingest.validate.AnnotationValidator;
import eagle.ingest.validate.ParsedAnnotation;
import eagle.ingest.validate.Rejection;
import eagle.ingest.validate.ValidatedAnnotation;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stateful step: one annotation record (key image id, value JSON bytes or null) → an {@link Outcome}.
 * Parses and validates the record, rejects duplicates against the image's {@link ImageAggregate},
 * updates the aggregate and reports the class-statistics deltas. A tombstone deletes the aggregate.
 * Every record-caused failure becomes a {@link Outcome.Rejected}; the stream never stops for a poison record.
 */
final class ImageAggregator implements FixedKeyProcessor<String, byte[], Outcome> {

    /** How many aggregates the processor keeps deserialised (most recently used first). */
    static final int RECENT_IMAGES = 1024;

    private final AnnotationParser parser;
    private final AnnotationValidator validator;
    private FixedKeyProcessorContext<String, Outcome> context;
    private KeyValueStore<String, ImageAggregate> images;
    /**
     * Read-through, write-through copy of the latest {@link ImageAggregate}s this processor wrote or read,
     * so an image's annotations in a row do not deserialise its aggregate from the store each time (the
     * store stays the truth: every change is written to it first). Emptied on {@link #init} and
     * {@link #close}: a task that is revived after an aborted transaction re-initialises its processors
     * after its stores are restored, so the copy never outlives the state it mirrors.
     */
    private final Map<String, ImageAggregate> recent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ImageAggregate> eldest) {
            return size() > RECENT_IMAGES;
        }
    };

    ImageAggregator(AnnotationParser parser, AnnotationValidator validator) {
        this.parser = parser;
        this.validator = validator;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Outcome> context) {
        this.context = context;
        this.images = context.getStateStore(TopologyProducer.IMAGES_STORE);
        recent.clear();
    }

    @Override
    public void close() {
        recent.clear();
    }

    private ImageAggregate aggregate(String imageId) {
        ImageAggregate known = recent.get(imageId);
        if (known == null) {
            known = images.get(imageId);
            if (known != null) {
                recent.put(imageId, known);
            }
        }
        return known;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        String imageId = record.key();
        byte[] value = record.value();
        if (imageId == null) {
            reject(record, new Rejection(DeadLetter.Reason.SCHEMA, "record without key (the key must be the image id)"));
            return;
        }
        if (value == null) {
            recent.remove(imageId);
            ImageAggregate before = images.delete(imageId);
            Map<String, Integer> was = before == null ? Map.of() : before.classCounts();
            context.forward(record.withValue(new Outcome.Retracted(ClassDelta.between(was, Map.of()))));
            return;
        }
        try {
            ParsedAnnotation parsed = parser.parse(imageId, value);
            ImageAggregate before = aggregate(imageId);
            ValidatedAnnotation accepted = validator.validate(parsed, before == null ? null : before.image());
            if (before != null && before.holds(accepted)) {
                throw new Rejection(DeadLetter.Reason.DUPLICATE, "instance " + accepted.instanceId()
                        + " of image " + imageId + " is already accepted with identical content");
            }
            ImageAggregate start = before == null ? ImageAggregate.empty(imageId, accepted.image()) : before;
            ImageAggregate after = start.updateFrom(accepted);
            recent.remove(imageId);
            images.put(imageId, after);
            recent.put(imageId, after);
            List<ClassDelta> deltas = ClassDelta.between(start.classCounts(), after.classCounts());
            context.forward(record.withValue(new Outcome.Accepted(after.toSample(), deltas)));
        } catch (Rejection r) {
            reject(record, r);
        }
    }

    private void reject(FixedKeyRecord<String, byte[]> record, Rejection r) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        DeadLetter letter = new DeadLetter(DeadLetter.SCHEMA_VERSION, r.reason(), r.getMessage(), record.key(),
                source.topic(), source.partition(), source.offset(),
                record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()),
                Instant.now().toString());
        context.forward(record.withValue(new Outcome.Rejected(letter)));
    }
}
