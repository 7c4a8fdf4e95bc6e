package eagle.scenes.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A caption's hard negative turns exactly one word into its opposite. */
class HardNegativesTest {

    @Test
    void oneWordOfPlaceDirectionSizeOrCountTurnsIntoItsOpposite() {
        assertEquals(
                "a red triangle on the right on grass",
                HardNegatives.of("a red triangle on the left on grass", 1));
        assertEquals("a blue star at the top", HardNegatives.of("a blue star at the bottom", 2));
    }

    @Test
    void everySwappableWordIsChosenForSomeSeedAndOnlyOneChanges() {
        String caption = "a large red triangle on the left pointing up on grass";
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 64; seed++) {
            String negative = HardNegatives.of(caption, seed);
            String[] a = caption.split(" ");
            String[] b = negative.split(" ");
            assertEquals(a.length, b.length);
            int changed = 0;
            for (int i = 0; i < a.length; i++) {
                changed += a[i].equals(b[i]) ? 0 : 1;
            }
            assertEquals(1, changed, negative);
            seen.add(negative);
        }
        assertEquals(
                Set.of(
                        "a small red triangle on the left pointing up on grass",
                        "a large red triangle on the right pointing up on grass",
                        "a large red triangle on the left pointing down on grass"),
                seen);
    }

    @Test
    void threeBecomesTwoOrFourAndACaptionWithoutSuchWordsHasNone() {
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 32; seed++) {
            seen.add(HardNegatives.of("three red discs on sand", seed));
        }
        assertEquals(Set.of("two red discs on sand", "four red discs on sand"), seen);
        assertNull(HardNegatives.of("this is an image of a red disc", 5));
        assertTrue(HardNegatives.of("four blue stars", 1).startsWith("three "));
    }
}
