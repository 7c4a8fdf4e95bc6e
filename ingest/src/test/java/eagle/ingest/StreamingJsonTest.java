package eagle.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.contracts.SampleEvent;
import eagle.ingest.validate.StoredImage;
import eagle.ingest.validate.ValidatedAnnotation;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming writers write what the databind mapper writes, and the mapper reads it back. */
class StreamingJsonTest {

    private static <T> void same(Class<T> type, JsonSerde.StreamingWriter<T> writer, T value)
            throws Exception {
        byte[] streamed = JsonSerde.of(type, writer).serializer().serialize("t", value);
        byte[] mapped = JsonSerde.MAPPER.writeValueAsBytes(value);
        assertEquals(new String(mapped, "UTF-8"), new String(streamed, "UTF-8"), "byte for byte");
        JsonNode a = JsonSerde.MAPPER.readTree(streamed);
        assertEquals(JsonSerde.MAPPER.readTree(mapped), a);
        assertEquals(value, JsonSerde.of(type, writer).deserializer().deserialize("t", streamed));
    }

    @Test
    void aggregatesAndSamples() throws Exception {
        StoredImage image =
                new StoredImage("ab".repeat(32), 4, 3, "file:///blobs/ab/x \"quoted\" é");
        ImageAggregate empty = ImageAggregate.empty("img-1", image);
        same(ImageAggregate.class, StreamingJson::writeAggregate, empty);
        same(SampleEvent.class, StreamingJson::writeSample, empty.toSample());
        ImageAggregate a = empty;
        String[] times = {
            "2025-03-01T10:00:00Z", "2025-03-01T10:00:00.5Z", "2025-03-02T00:00:00.123456789Z"
        };
        for (int i = 0; i < 3; i++) {
            a =
                    a.updateFrom(
                            new ValidatedAnnotation(
                                    "img-1",
                                    "inst-" + i,
                                    i % 2 == 0 ? "cat" : "dog\u2603\n",
                                    "33" + i + "\\\"",
                                    3,
                                    image,
                                    "annotator " + (2 - i),
                                    Instant.parse(times[i])));
            same(ImageAggregate.class, StreamingJson::writeAggregate, a);
            same(SampleEvent.class, StreamingJson::writeSample, a.toSample());
        }
        same(
                SampleEvent.class,
                StreamingJson::writeSample,
                new SampleEvent(
                        1,
                        "x",
                        null,
                        List.of(
                                new SampleEvent.Instance(
                                        "i",
                                        "c",
                                        new SampleEvent.Mask(Arrays.asList(1, null), null),
                                        null)),
                        null,
                        null));
        same(
                SampleEvent.class,
                StreamingJson::writeSample,
                new SampleEvent(1, "x", null, null, List.of(), "t"));
    }
}
