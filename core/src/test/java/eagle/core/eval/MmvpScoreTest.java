package eagle.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MmvpScoreTest {

    @Test
    void pairCountsOnlyWhenBothStatementsPickTheirImage() {
        double[][][] s = {
            {{0.9, 0.1}, {0.2, 0.8}}, // both right → counts
            {{0.9, 0.1}, {0.9, 0.8}}, // statement 1 picks image 0 → no
            {{0.1, 0.9}, {0.9, 0.1}}, // both swapped → no
            {{0.5, 0.5}, {0.5, 0.5}}, // ties → no
        };
        assertArrayEquals(new boolean[] {true, false, false, false}, MmvpScore.pairCorrect(s));
        assertEquals(0.25, MmvpScore.pairAccuracy(s));
    }
}
