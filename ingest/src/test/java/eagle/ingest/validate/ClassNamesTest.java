package eagle.ingest.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The class-name bounds: length in code points, Cc and Cf (but ZWNJ/ZWJ) and unpaired surrogates
 * refused.
 */
class ClassNamesTest {

    @Test
    void freeTextNamesPass() {
        for (String name :
                new String[] {
                    "cat",
                    "traffic light",
                    "hot-dog",
                    "crème brûlée",
                    "Ölfass",
                    "红绿灯",
                    "кошка",
                    "\u0915\u094D\u200D\u0937",
                    "\uD83D\uDC69\u200D\uD83D\uDD2C",
                    "x".repeat(256),
                    "\uD83D\uDC08".repeat(256)
                }) {
            assertNull(ClassNames.problem(name), name);
        }
    }

    @Test
    void lengthCountsCodePoints() {
        assertEquals(
                "className has 257 characters, limit 256", ClassNames.problem("x".repeat(257)));
        assertEquals(
                "className has 257 characters, limit 256",
                ClassNames.problem("\uD83D\uDC08".repeat(257)));
        assertEquals(
                "className has 70000 characters, limit 256",
                ClassNames.problem("c".repeat(70_000)));
    }

    @Test
    void controlFormatAndSurrogateCharactersAreNamedWithTheirPosition() {
        assertEquals(
                "className has control character U+0000 at position 0",
                ClassNames.problem("\u0000"));
        assertEquals(
                "className has control character U+0009 at position 3",
                ClassNames.problem("hot\tdog"));
        assertEquals(
                "className has control character U+009F at position 3",
                ClassNames.problem("cat\u009F"));
        assertEquals(
                "className has control character U+007F at position 1",
                ClassNames.problem("a\u007F"));
        // the position counts code points: the cat emoji before it is one
        assertEquals(
                "className has format character U+202E at position 1",
                ClassNames.problem("\uD83D\uDC08\u202Ex"));
        assertEquals(
                "className has format character U+200B at position 2",
                ClassNames.problem("ab\u200Bc"));
        assertEquals(
                "className has format character U+E0041 at position 1",
                ClassNames.problem("a\uDB40\uDC41"));
        assertEquals(
                "className has unpaired surrogate character U+DC08 at position 0",
                ClassNames.problem("\uDC08cat"));
        assertEquals(
                "className has unpaired surrogate character U+D83D at position 3",
                ClassNames.problem("cat\uD83D"));
    }
}
