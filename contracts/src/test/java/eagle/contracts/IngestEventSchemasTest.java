package eagle.contracts;

import static eagle.contracts.SchemaFiles.names;
import static eagle.contracts.SchemaFiles.schema;
import static eagle.contracts.SchemaFiles.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The annotation/sample/dead-letter records serialise to exactly the fields their JSON Schemas
 * declare.
 */
class IngestEventSchemasTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void annotationEventMatchesItsSchema() throws IOException {
        JsonNode schema = schema("annotation.v1.json");
        AnnotationEvent rle =
                new AnnotationEvent(
                        1,
                        "img",
                        "i0",
                        "cat",
                        AnnotationEvent.Mask.rle(2, 3, "05"),
                        AnnotationEvent.ImageRef.of("file:///x.png", "a".repeat(64)),
                        "ann",
                        "2025-01-01T00:00:00Z");
        JsonNode written = json.valueToTree(rle);
        assertEquals(names(schema.get("properties")), names(written));
        assertEquals(strings(schema.get("required")), names(written));
        JsonNode rleBranch = schema.at("/properties/mask/oneOf/0/properties");
        assertEquals(names(rleBranch), names(written.get("mask")));
        JsonNode uriBranch = schema.at("/properties/image/oneOf/0/properties");
        assertEquals(names(uriBranch), names(written.get("image")));

        byte[] bytes = "png".getBytes(StandardCharsets.UTF_8);
        AnnotationEvent poly =
                new AnnotationEvent(
                        1,
                        "img",
                        "i1",
                        "dog",
                        AnnotationEvent.Mask.polygons(List.of(new double[] {0, 0, 2, 0, 2, 2})),
                        AnnotationEvent.ImageRef.inline(bytes),
                        "ann",
                        "2025-01-01T00:00:00Z");
        JsonNode polyJson = json.valueToTree(poly);
        assertEquals(Set.of("polygons"), names(polyJson.get("mask")));
        assertEquals(
                names(schema.at("/properties/image/oneOf/1/properties")),
                names(polyJson.get("image")));
        // sha256 of "png", computed independently: printf png | sha256sum
        assertEquals(
                "8f8cbb7dcf46e0bc7d53265749a6c17d116093a6ba95e442764060c76fd4a86c",
                polyJson.at("/image/sha256").asText());
        AnnotationEvent back = json.treeToValue(polyJson, AnnotationEvent.class);
        assertArrayEquals(new double[] {0, 0, 2, 0, 2, 2}, back.mask().polygons().get(0));
    }

    @Test
    void sha256HexIsTheKnownDigest() {
        // the SHA-256 of the empty input (FIPS 180-2 test vector)
        assertEquals(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                AnnotationEvent.sha256Hex(new byte[0]));
        // SHA-256("abc") (FIPS 180-2 test vector)
        assertEquals(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                AnnotationEvent.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void sampleEventMatchesItsSchema() throws IOException {
        JsonNode schema = schema("sample.v1.json");
        SampleEvent sample =
                new SampleEvent(
                        1,
                        "img",
                        new SampleEvent.Image("b".repeat(64), 4, 3, "file:///b"),
                        List.of(
                                new SampleEvent.Instance(
                                        "i0",
                                        "cat",
                                        new SampleEvent.Mask(List.of(3, 4), "05"),
                                        "ann")),
                        List.of("ann"),
                        "2025-01-01T00:00:00Z");
        JsonNode written = json.valueToTree(sample);
        assertEquals(names(schema.get("properties")), names(written));
        assertEquals(strings(schema.get("required")), names(written));
        assertEquals(names(schema.at("/properties/image/properties")), names(written.get("image")));
        JsonNode instanceSchema = schema.at("/properties/instances/items");
        assertEquals(names(instanceSchema.get("properties")), names(written.at("/instances/0")));
        assertEquals(
                names(instanceSchema.at("/properties/mask/properties")),
                names(written.at("/instances/0/mask")));
        assertEquals(sample, json.treeToValue(written, SampleEvent.class));
    }

    @Test
    void deadLetterMatchesItsSchemaAndListsEveryReason() throws IOException {
        JsonNode schema = schema("dead-letter.v1.json");
        DeadLetter letter =
                new DeadLetter(
                        1,
                        DeadLetter.Reason.EMPTY_MASK,
                        "no pixel",
                        "img",
                        Topics.ANNOTATIONS,
                        0,
                        7L,
                        "AQI=",
                        "2025-01-01T00:00:00Z");
        JsonNode written = json.valueToTree(letter);
        assertEquals(names(schema.get("properties")), names(written));
        assertTrue(names(written).containsAll(strings(schema.get("required"))));
        List<String> reasons = new ArrayList<>();
        Arrays.stream(DeadLetter.Reason.values()).forEach(r -> reasons.add(r.name()));
        assertEquals(new TreeSet<>(reasons), strings(schema.at("/properties/reason/enum")));
        assertArrayEquals(
                new byte[] {1, 2}, json.treeToValue(written, DeadLetter.class).originalBytes());
    }
}
