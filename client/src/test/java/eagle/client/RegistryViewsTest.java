package eagle.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class RegistryViewsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aViewWithoutItsNamesGetsTheOnesAskedFor() throws IOException {
        assertEquals(
                new AliasTarget("eagle", "staging", 4, "aa", null),
                RegistryViews.alias("eagle", "staging", json("{\"version\":4,\"sha256\":\"aa\"}")));
        assertEquals(
                new AliasTarget("other", "production", 4, null, "e-1"),
                RegistryViews.alias(
                        "eagle",
                        "staging",
                        json(
                                "{\"model\":\"other\",\"alias\":\"production\",\"version\":4,"
                                        + "\"evaluationId\":\"e-1\"}")));

        Version v = RegistryViews.version("eagle", json("{\"version\":2}"));
        assertEquals("eagle", v.model());
        assertNull(v.parentVersion());
        assertNull(v.sha256());
        assertTrue(v.architecture().isMissingNode(), "never null");
    }

    @Test
    void historyKeepsTheArraysOrderAndWhoMovedTheAliasWhen() throws IOException {
        var history =
                RegistryViews.history(
                        json(
                                "[{\"id\":2,\"from\":1,\"to\":3,\"action\":\"ROLLBACK\","
                                        + "\"movedBy\":\"op\",\"movedAt\":\"t2\"},"
                                        + "{\"id\":1,\"to\":1}]"));
        assertEquals(
                new AliasHistoryEntry(2, 1, 3, "ROLLBACK", "op", null, null, "t2"), history.get(0));
        assertEquals(
                new AliasHistoryEntry(1, null, 1, null, null, null, null, null), history.get(1));
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
