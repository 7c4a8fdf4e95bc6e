package eagle.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import eagle.ingest.validate.ValidatedAnnotation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value of {@link TopologyProducer#IMAGES_STORE}: an image's {@link ImageAggregate} together
 * with its JSON, the bytes the store keeps (what {@link StreamingJson#writeAggregate} and the
 * mapper write). A new instance is appended to the JSON (its own JSON before the closing {@code ]}
 * of {@code instances}, then the new {@code updatedAt}) instead of the whole aggregate being
 * written again: an image with k instances costs k instance writes, not 1 + 2 + … + k. A correction
 * (an instance id already held) writes the whole aggregate again.
 *
 * @param aggregate the state
 * @param json the state's JSON, byte for byte what the mapper writes for {@code aggregate}
 * @param instancesEnd index in {@code json} of the {@code ]} that closes {@code instances}
 */
record StoredAggregate(ImageAggregate aggregate, byte[] json, int instancesEnd) {

    private static final byte[] UPDATED_AT = "],\"updatedAt\":".getBytes(StandardCharsets.UTF_8);

    /** The stored form of {@code aggregate}, written whole. */
    static StoredAggregate of(ImageAggregate aggregate) {
        byte[] json = write(g -> StreamingJson.writeAggregate(g, aggregate));
        return new StoredAggregate(aggregate, json, instancesEnd(json));
    }

    /** The stored form after {@code a} is accepted (see the class doc). */
    StoredAggregate updateFrom(ValidatedAnnotation a) {
        ImageAggregate next = aggregate.updateFrom(a);
        if (next.instances().size() == aggregate.instances().size()) {
            return of(next); // a correction: an instance replaced in place
        }
        byte[] instance =
                write(
                        g ->
                                StreamingJson.writeInstance(
                                        g, next.instances().get(next.instances().size() - 1)));
        byte[] updatedAt =
                next.updatedAt() == null
                        ? "null}".getBytes(StandardCharsets.US_ASCII)
                        : ('"' + next.updatedAt().toString() + "\"}")
                                .getBytes(StandardCharsets.US_ASCII);
        boolean first = aggregate.instances().isEmpty();
        int at = instancesEnd + (first ? 0 : 1);
        byte[] out = new byte[at + instance.length + UPDATED_AT.length + updatedAt.length];
        System.arraycopy(json, 0, out, 0, instancesEnd);
        if (!first) {
            out[instancesEnd] = ',';
        }
        System.arraycopy(instance, 0, out, at, instance.length);
        System.arraycopy(UPDATED_AT, 0, out, at + instance.length, UPDATED_AT.length);
        System.arraycopy(
                updatedAt, 0, out, at + instance.length + UPDATED_AT.length, updatedAt.length);
        return new StoredAggregate(next, out, at + instance.length);
    }

    /** Reads the stored bytes back (with the mapper). */
    static StoredAggregate read(byte[] json) throws IOException {
        return new StoredAggregate(
                JsonSerde.MAPPER.readValue(json, ImageAggregate.class), json, instancesEnd(json));
    }

    /**
     * The serde of the store: the bytes are the ones kept beside the aggregate, nothing is written
     * on a put.
     */
    static Serde<StoredAggregate> serde() {
        Serializer<StoredAggregate> serializer =
                (topic, value) -> value == null ? null : value.json();
        Deserializer<StoredAggregate> deserializer =
                (topic, bytes) -> {
                    try {
                        return bytes == null ? null : read(bytes);
                    } catch (IOException e) {
                        throw new SerializationException(
                                "cannot read an image aggregate from " + topic, e);
                    }
                };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /**
     * {@code updatedAt} is the aggregate's last field and its value holds no {@code ]}, so the last
     * {@code ],"updatedAt":} in the JSON closes {@code instances}.
     */
    private static int instancesEnd(byte[] json) {
        for (int i = json.length - UPDATED_AT.length; i >= 0; i--) {
            if (json[i] == ']'
                    && Arrays.equals(
                            json, i, i + UPDATED_AT.length, UPDATED_AT, 0, UPDATED_AT.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not an image aggregate's JSON");
    }

    @FunctionalInterface
    private interface Writing {
        void to(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = JsonSerde.MAPPER.getFactory().createGenerator(out)) {
            writing.to(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        out.release();
        return bytes;
    }
}
