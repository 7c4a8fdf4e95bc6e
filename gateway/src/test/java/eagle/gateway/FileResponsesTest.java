package eagle.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** If-None-Match matching (byte ranges: eagle.contracts.ByteRangeTest). */
class FileResponsesTest {

    @Test
    void ifNoneMatchLists() {
        String sha = "ab".repeat(32);
        assertTrue(FileResponses.matches("\"x\", \"" + sha + "\"", sha));
        assertTrue(FileResponses.matches("W/\"" + sha + "\"", sha));
        assertTrue(FileResponses.matches("*", sha));
        assertFalse(FileResponses.matches("\"" + sha.substring(1) + "\"", sha));
        assertFalse(FileResponses.matches(sha, sha), "an unquoted tag is not the entity tag");
    }
}
