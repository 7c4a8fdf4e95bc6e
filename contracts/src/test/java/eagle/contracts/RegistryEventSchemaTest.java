package eagle.contracts;

import static eagle.contracts.SchemaFiles.names;
import static eagle.contracts.SchemaFiles.schema;
import static eagle.contracts.SchemaFiles.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link RegistryEvent} serialises (with a plain ObjectMapper) to fields that {@code
 * registry-event.v1.json} declares, carries every field the schema requires for its type, and reads
 * back equal.
 */
class RegistryEventSchemaTest {

    private final ObjectMapper json = new ObjectMapper();
    private static final String ID = "0b7e7c36-7a43-4a53-9b7c-2f1d3c1f2a10";
    private static final String SHA = "ab".repeat(32);
    private static final String AT = "2026-01-02T03:04:05.123456Z";

    /** One example per type, as the registry's outbox writes them. */
    static List<RegistryEvent> examples() {
        return List.of(
                new RegistryEvent(
                        ID,
                        RegistryEvent.Type.MODEL_CREATED,
                        "clip-b16",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "trainer",
                        AT),
                new RegistryEvent(
                        ID,
                        RegistryEvent.Type.VERSION_REGISTERED,
                        "clip-b16",
                        3,
                        SHA,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "trainer",
                        AT),
                new RegistryEvent(
                        ID,
                        RegistryEvent.Type.ARTIFACT_STORED,
                        "clip-b16",
                        3,
                        SHA,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "trainer",
                        AT),
                new RegistryEvent(
                        ID,
                        RegistryEvent.Type.EVALUATION_RECORDED,
                        "clip-b16",
                        3,
                        SHA,
                        null,
                        null,
                        null,
                        null,
                        ID,
                        true,
                        "evaluator",
                        AT),
                new RegistryEvent(
                        ID,
                        RegistryEvent.Type.ALIAS_MOVED,
                        "clip-b16",
                        null,
                        SHA,
                        "production",
                        2,
                        3,
                        false,
                        ID,
                        null,
                        "releaser",
                        AT));
    }

    @Test
    void everyTypeMatchesTheSchema() throws IOException {
        JsonNode schema = schema("registry-event.v1.json");
        Set<String> declared = names(schema.get("properties"));
        Set<String> enumTypes = strings(schema.at("/properties/type/enum"));
        Set<String> javaTypes = new TreeSet<>();
        for (RegistryEvent.Type t : RegistryEvent.Type.values()) {
            javaTypes.add(t.name());
        }
        assertEquals(javaTypes, enumTypes, "the schema's type enum is the record's");

        for (RegistryEvent e : examples()) {
            JsonNode written = json.valueToTree(e);
            Set<String> fields = names(written);
            assertTrue(
                    declared.containsAll(fields),
                    e.type() + " writes undeclared fields: " + fields);
            assertTrue(
                    fields.containsAll(strings(schema.get("required"))),
                    e.type() + " lacks a required field");
            for (JsonNode rule : schema.get("allOf")) {
                JsonNode types = rule.at("/if/properties/type");
                boolean applies =
                        types.has("const")
                                ? types.get("const").asText().equals(e.type().name())
                                : strings(types.get("enum")).contains(e.type().name());
                if (applies) {
                    Set<String> required = strings(rule.at("/then/required"));
                    assertTrue(
                            fields.containsAll(required), e.type() + " lacks one of " + required);
                }
            }
            assertTrue(
                    written.get("sha256") == null
                            || written.get("sha256").asText().matches("[0-9a-f]{64}"));
            assertEquals(e, json.treeToValue(written, RegistryEvent.class), "round trip");
        }
    }

    @Test
    void nullsAreLeftOut() {
        JsonNode written = json.valueToTree(examples().get(0));
        assertEquals(Set.of("eventId", "type", "model", "actor", "at"), names(written));
    }

    @Test
    void identityFieldsAreRequired() {
        assertThrows(
                NullPointerException.class,
                () ->
                        new RegistryEvent(
                                null,
                                RegistryEvent.Type.MODEL_CREATED,
                                "m",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                AT));
        assertThrows(
                NullPointerException.class,
                () ->
                        new RegistryEvent(
                                ID,
                                RegistryEvent.Type.MODEL_CREATED,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                AT));
    }
}
