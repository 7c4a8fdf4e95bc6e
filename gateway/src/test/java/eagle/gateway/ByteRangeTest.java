package eagle.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 9110 §14.1.2 byte ranges against a 1000-byte body, and If-None-Match matching. */
class ByteRangeTest {

    private static ByteRange part(String header) {
        return assertInstanceOf(ByteRange.Part.class, ByteRange.parse(header, 1000)).range();
    }

    @Test
    void closedOpenAndSuffixRanges() {
        assertEquals(new ByteRange(10, 109), part("bytes=10-109"));
        assertEquals(100, part("bytes=10-109").length());
        assertEquals(new ByteRange(990, 999), part("bytes=990-"));
        assertEquals(new ByteRange(992, 999), part("bytes=-8"));
        assertEquals(new ByteRange(0, 999), part("bytes=-5000"), "a suffix longer than the body is the whole body");
        assertEquals(new ByteRange(900, 999), part("bytes=900-5000"), "the last offset is clipped to the end");
    }

    @Test
    void unsatisfiableIgnoredAndMalformed() {
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=1000-", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=1000-1200", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=-0", 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse(null, 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=0-1,5-6", 1000), "several ranges: send it whole");
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("items=0-1", 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=9-3", 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=a-b", 1000));
    }

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
