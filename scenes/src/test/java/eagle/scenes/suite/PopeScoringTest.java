package eagle.scenes.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The per-question pieces of POPE scoring that the suite's outcomes and MMVP rely on. */
class PopeScoringTest {

    @Test
    void yesToAbsentKeepsTheAnswersToAbsentObjectsInQuestionOrder() {
        boolean[] answers = {true, true, false, false, true};
        boolean[] truth = {true, false, false, true, false};
        assertArrayEquals(
                new boolean[] {true, false, true}, PopeScoring.yesToAbsent(answers, truth));
        assertArrayEquals(
                new boolean[0],
                PopeScoring.yesToAbsent(new boolean[] {true}, new boolean[] {true}));
    }

    @Test
    void maxCosIsTheBestPatchsDotProduct() {
        float[][] patches = {{1f, 0f}, {0.6f, 0.8f}, {0f, -1f}}; // (P, D), normalised rows
        assertEquals(0.8, PopeScoring.maxCos(patches, new float[] {0f, 1f}), 1e-6);
        assertEquals(0.0, PopeScoring.maxCos(patches, new float[] {-1f, 0f}), 1e-6);
    }
}
