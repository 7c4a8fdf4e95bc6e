package eagle.scenes.pretrain;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code pretrain --init}: a base goes on training only on captions with its own words. */
class PretrainInitTest {

    @Test
    void theSameWordsContinueAndOtherWordsAreNamed() {
        List<String> base = List.of("a", "disc", "red", "three");
        assertNull(StartingPoint.vocabularyMismatch(base, List.of("a", "disc", "red", "three")));
        String why = StartingPoint.vocabularyMismatch(base, List.of("a", "blue", "disc", "red"));
        assertTrue(why.contains("(4 words)") && why.contains("(4 words;"), why);
        assertTrue(why.contains("new [blue]") && why.contains("gone [three]"), why);
        // the same words in another order would give other token ids: refused too
        assertTrue(
                StartingPoint.vocabularyMismatch(base, List.of("disc", "a", "red", "three"))
                        != null);
    }
}
