package eagle.contracts;

import static eagle.contracts.SchemaFiles.names;
import static eagle.contracts.SchemaFiles.schema;
import static eagle.contracts.SchemaFiles.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CandidateEvent} serialises (with a plain ObjectMapper) to exactly the fields that {@code
 * candidate-registered.v1.json} declares and requires, its manifest entries too, and reads back
 * equal.
 */
class CandidateEventSchemaTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theRecordWritesWhatTheSchemaDeclaresAndReadsBack() throws IOException {
        CandidateEvent e =
                new CandidateEvent(
                        CandidateEvent.SCHEMA_VERSION,
                        CandidateEvent.TYPE,
                        "eagle-encoder",
                        4,
                        3,
                        "ab".repeat(32),
                        2,
                        List.of(OffsetRange.of(Topics.SAMPLES, 0, 53, 91)),
                        "cd".repeat(32),
                        "2026-11-27T13:00:00Z");
        JsonNode schema = schema("candidate-registered.v1.json");
        JsonNode written = json.valueToTree(e);
        assertEquals(names(schema.get("properties")), names(written));
        assertEquals(strings(schema.get("required")), names(written));
        JsonNode item = schema.at("/properties/manifest/items");
        assertEquals(names(item.get("properties")), names(written.get("manifest").get(0)));
        assertEquals(strings(item.get("required")), names(written.get("manifest").get(0)));
        assertEquals(schema.at("/properties/type/const").asText(), written.get("type").asText());
        assertEquals(
                schema.at("/properties/schemaVersion/const").asInt(),
                written.get("schemaVersion").asInt());
        assertEquals(e, json.treeToValue(written, CandidateEvent.class));
    }
}
