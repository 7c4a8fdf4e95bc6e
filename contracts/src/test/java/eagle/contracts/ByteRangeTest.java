package eagle.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

/** RFC 9110 §14.1.2 byte ranges, as both the registry and the gateway answer them. */
class ByteRangeTest {

    private static ByteRange part(String header, long size) {
        return assertInstanceOf(ByteRange.Part.class, ByteRange.parse(header, size)).range();
    }

    @Test
    void rfcExamplesOnA10000ByteBody() {
        assertEquals(new ByteRange(0, 499), part("bytes=0-499", 10000));
        assertEquals(new ByteRange(500, 999), part("bytes=500-999", 10000));
        assertEquals(new ByteRange(9500, 9999), part("bytes=-500", 10000));
        assertEquals(new ByteRange(9500, 9999), part("bytes=9500-", 10000));
        assertEquals(500, part("bytes=0-499", 10000).length());
        assertEquals("bytes 0-499/10000", new ByteRange(0, 499).contentRange(10000));
    }

    @Test
    void rangesAreClippedToTheBody() {
        assertEquals(
                new ByteRange(900, 999),
                part("bytes=900-5000", 1000),
                "the last offset is clipped to the end");
        assertEquals(
                new ByteRange(0, 999),
                part("bytes=-5000", 1000),
                "a suffix longer than the body is all of it");
        assertEquals(
                new ByteRange(10, 109),
                part(" Bytes=10-109 ", 1000),
                "the unit is case-insensitive");
    }

    @Test
    void unsatisfiableRanges() {
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=1000-", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=1000-1200", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=-0", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=0-0", 0));
    }

    @Test
    void ignoredHeadersServeTheWholeBody() {
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse(null, 1000));
        assertInstanceOf(
                ByteRange.Whole.class, ByteRange.parse("bytes=0-1,5-6", 1000), "several ranges");
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("items=0-1", 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=9-3", 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=a-b", 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=-", 1000));
    }
}
