package eagle.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.ingest.validate.StoredImage;
import eagle.ingest.validate.ValidatedAnnotation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An aggregate grown by appended instances is stored as the very bytes the mapper writes for it,
 * through new instances, corrections and strings that need escaping, and reads back equal.
 */
class StoredAggregateTest {

    private static final StoredImage IMAGE =
            new StoredImage(
                    "ab".repeat(32), 4, 3, "file:///blobs/ab/x \"quoted\" ],\"updatedAt\":");

    private static ValidatedAnnotation annotation(
            String instanceId, String className, String time) {
        return new ValidatedAnnotation(
                "img-1",
                instanceId,
                className,
                "33" + instanceId.length() + "\\\"]",
                3,
                IMAGE,
                "annotator ],\"updatedAt\": \u2603",
                Instant.parse(time));
    }

    private static void storedAsTheMapperWrites(StoredAggregate stored) throws Exception {
        String mapped =
                new String(
                        JsonSerde.MAPPER.writeValueAsBytes(stored.aggregate()),
                        StandardCharsets.UTF_8);
        assertEquals(mapped, new String(stored.json(), StandardCharsets.UTF_8), "byte for byte");
        byte[] serialized = StoredAggregate.serde().serializer().serialize("t", stored);
        StoredAggregate read = StoredAggregate.serde().deserializer().deserialize("t", serialized);
        assertEquals(stored.aggregate(), read.aggregate());
        assertEquals(stored.instancesEnd(), read.instancesEnd());
        assertEquals(']', (char) stored.json()[stored.instancesEnd()]);
    }

    @Test
    void appendsCorrectionsAndReadingBack() throws Exception {
        StoredAggregate stored = StoredAggregate.of(ImageAggregate.empty("img-1", IMAGE));
        storedAsTheMapperWrites(stored);
        List<ValidatedAnnotation> accepted =
                List.of(
                        annotation("inst-0", "cat", "2025-03-01T10:00:00Z"),
                        annotation("inst-1", "dog\u2603\n\"]", "2025-03-01T10:00:00.5Z"),
                        // earlier than the latest: updatedAt stays
                        annotation("inst-2", "cat", "2025-02-01T00:00:00Z"),
                        // a correction of inst-1, then new instances after it
                        annotation("inst-1", "bird", "2025-03-02T00:00:00.123456789Z"),
                        annotation("inst-3", "cat", "2025-03-02T00:00:01Z"),
                        annotation("inst-4", "cat", "2025-03-02T00:00:02Z"));
        ImageAggregate expected = ImageAggregate.empty("img-1", IMAGE);
        for (ValidatedAnnotation a : accepted) {
            stored = stored.updateFrom(a);
            expected = expected.updateFrom(a);
            assertEquals(expected, stored.aggregate());
            storedAsTheMapperWrites(stored);
            // growing from what was read back gives the same bytes as growing in memory
            StoredAggregate reread = StoredAggregate.read(stored.json());
            assertEquals(
                    new String(stored.json(), StandardCharsets.UTF_8),
                    new String(reread.json(), StandardCharsets.UTF_8));
        }
        assertEquals(
                List.of("inst-0", "inst-1", "inst-2", "inst-3", "inst-4"),
                stored.aggregate().instances().stream()
                        .map(ImageAggregate.Instance::instanceId)
                        .toList());
        StoredAggregate fromRead =
                StoredAggregate.read(
                        StoredAggregate.of(ImageAggregate.empty("img-1", IMAGE)).json());
        for (ValidatedAnnotation a : accepted) {
            fromRead = StoredAggregate.read(fromRead.updateFrom(a).json());
        }
        assertEquals(
                new String(stored.json(), StandardCharsets.UTF_8),
                new String(fromRead.json(), StandardCharsets.UTF_8));
    }
}
