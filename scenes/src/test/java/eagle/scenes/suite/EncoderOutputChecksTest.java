package eagle.scenes.suite;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A malformed encoder answer is refused with a message that names the call, before a score is
 * computed from it; a well-formed one passes through unchanged.
 */
class EncoderOutputChecksTest {

    @Test
    void rowsMustBeOnePerInputOfOneNonZeroWidth() {
        float[][] ok = {{1f, 0f}, {0f, 1f}}; // (2, 2)
        assertSame(ok, EncoderOutputChecks.checkRows(ok, 2, "imageCls"));
        IllegalStateException count =
                assertThrows(
                        IllegalStateException.class,
                        () -> EncoderOutputChecks.checkRows(ok, 3, "texts(statements)"));
        assertTrue(count.getMessage().contains("texts(statements) returned 2 rows for 3"));
        assertThrows(
                IllegalStateException.class,
                () -> EncoderOutputChecks.checkRows(null, 1, "imageCls"));
        assertThrows(
                IllegalStateException.class,
                () -> EncoderOutputChecks.checkRows(new float[][] {{1f, 0f}, {1f}}, 2, "imageCls"));
        assertThrows(
                IllegalStateException.class,
                () -> EncoderOutputChecks.checkRows(new float[][] {{}, {}}, 2, "imageCls"));
    }

    @Test
    void patchesMustBeOneGridPerImageAsWideAsTheText() {
        float[][][] ok = {{{1f, 0f}, {0f, 1f}}}; // (1, 2, 2)
        assertSame(ok, EncoderOutputChecks.checkPatches(ok, 1, 2));
        assertThrows(IllegalStateException.class, () -> EncoderOutputChecks.checkPatches(ok, 2, 2));
        IllegalStateException width =
                assertThrows(
                        IllegalStateException.class,
                        () -> EncoderOutputChecks.checkPatches(ok, 1, 3));
        assertTrue(width.getMessage().contains("width 2, text features have 3"));
        assertThrows(
                IllegalStateException.class,
                () -> EncoderOutputChecks.checkPatches(new float[][][] {{}}, 1, 2));
    }
}
