package eagle.scenes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.core.text.CountedPhrases;
import org.junit.jupiter.api.Test;

class CaptionsTest {

    /**
     * The count presence term's phrases (core, from class names alone) say counts the way the
     * world's captions do, so a base pre-trained on counted scenes knows every word of them.
     */
    @Test
    void countedPhrasesOfClassNamesAreTheCaptionsCountedObjects() {
        Taxonomy taxonomy = SceneGenerator.standard(64).taxonomy();
        for (ObjectClass c : taxonomy.classes()) {
            for (int n = 1; n <= CountedPhrases.MAX_COUNT; n++) {
                assertEquals(Captions.counted(n, c), CountedPhrases.phrase(n, c.name()));
            }
        }
    }
}
