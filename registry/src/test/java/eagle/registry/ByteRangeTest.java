package eagle.registry;

import eagle.registry.api.ByteRange;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Range header parsing against RFC 9110's examples (a 10000-byte representation). */
class ByteRangeTest {

    @Test
    void rfcExamples() {
        assertEquals(Optional.of(new ByteRange(0, 499)), ByteRange.parse("bytes=0-499", 10000));
        assertEquals(Optional.of(new ByteRange(500, 999)), ByteRange.parse("bytes=500-999", 10000));
        assertEquals(Optional.of(new ByteRange(9500, 9999)), ByteRange.parse("bytes=-500", 10000));
        assertEquals(Optional.of(new ByteRange(9500, 9999)), ByteRange.parse("bytes=9500-", 10000));
        assertEquals(500, ByteRange.parse("bytes=0-499", 10000).orElseThrow().length());
        assertEquals("bytes 0-499/10000", new ByteRange(0, 499).contentRange(10000));
    }

    @Test
    void clampsAndIgnores() {
        assertEquals(Optional.of(new ByteRange(9000, 9999)), ByteRange.parse("bytes=9000-20000", 10000));
        assertEquals(Optional.of(new ByteRange(0, 9999)), ByteRange.parse("bytes=-20000", 10000));
        assertEquals(Optional.empty(), ByteRange.parse(null, 10000));
        assertEquals(Optional.empty(), ByteRange.parse("items=0-1", 10000));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=0-1,5-6", 10000), "several ranges: serve all");
        assertEquals(Optional.empty(), ByteRange.parse("bytes=5-1", 10000), "invalid: ignored");
        assertEquals(Optional.empty(), ByteRange.parse("bytes=a-b", 10000));
    }

    @Test
    void unsatisfiable() {
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=10000-", 10000));
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=-0", 10000));
        assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse("bytes=0-0", 0));
    }
}
