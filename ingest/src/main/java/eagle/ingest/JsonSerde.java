package eagle.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** JSON (Jackson) serde for the topology's values; null ↔ null so tombstones pass through. */
public final class JsonSerde<T> implements Serde<T> {

    /** The one mapper of the topology: ISO-8601 instants, unknown fields ignored on read. */
    public static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Writes one value with a {@link JsonGenerator}. */
    @FunctionalInterface
    interface StreamingWriter<T> {
        void write(JsonGenerator generator, T value) throws IOException;
    }

    private final Class<T> type;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final StreamingWriter<T> streaming;

    private JsonSerde(Class<T> type, StreamingWriter<T> streaming) {
        this.type = type;
        this.reader = MAPPER.readerFor(type);
        this.writer = MAPPER.writerFor(type);
        this.streaming = streaming;
    }

    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type, null);
    }

    /**
     * A serde that writes with {@code streaming} (which must write what the mapper writes) and
     * reads with the mapper.
     */
    static <T> JsonSerde<T> of(Class<T> type, StreamingWriter<T> streaming) {
        return new JsonSerde<>(type, streaming);
    }

    private byte[] write(T value) throws IOException {
        if (streaming == null) {
            return writer.writeValueAsBytes(value);
        }
        ByteArrayBuilder out = new ByteArrayBuilder(1024);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            streaming.write(g, value);
        }
        byte[] bytes = out.toByteArray();
        out.release();
        return bytes;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            try {
                return value == null ? null : write(value);
            } catch (IOException e) {
                throw new SerializationException(
                        "cannot write " + type.getSimpleName() + " for " + topic, e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            try {
                return bytes == null ? null : reader.readValue(bytes);
            } catch (IOException e) {
                throw new SerializationException(
                        "cannot read " + type.getSimpleName() + " from " + topic, e);
            }
        };
    }
}
