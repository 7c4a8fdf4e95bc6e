package eagle.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThresholdCalibrationTest {

    @Test
    void separableScoresGetTheMidpoint() {
        // negatives 0.1, 0.2, 0.3; positives 0.6, 0.7 → any τ in [0.3, 0.6) is perfect;
        // the candidates are midpoints, the lowest perfect one is (0.3+0.6)/2 = 0.45
        var c =
                ThresholdCalibration.best(
                        new double[] {0.6, 0.1, 0.3, 0.7, 0.2},
                        new boolean[] {true, false, false, true, false});
        assertEquals(0.45, c.threshold(), 1e-12);
        assertEquals(1.0, c.accuracy());
    }

    @Test
    void overlappingScoresMaximiseAccuracy() {
        // sorted: 0.1 F, 0.2 T, 0.3 F, 0.4 T, 0.5 T, 0.9 F
        // τ<0.1: all yes → 3/6; τ=0.15 → 4/6; τ=0.25 → 3/6; τ=0.35 → 4/6; τ=0.45 → 3/6;
        // τ=0.7 → 2/6; τ=0.9 → 3/6. Best 4/6, lowest τ = 0.15
        double[] s = {0.4, 0.9, 0.1, 0.5, 0.3, 0.2};
        boolean[] t = {true, false, false, true, false, true};
        var c = ThresholdCalibration.best(s, t);
        assertEquals(0.15, c.threshold(), 1e-12);
        assertEquals(4.0 / 6, c.accuracy(), 1e-12);
    }

    @Test
    void allNegativesSayNoToEverything() {
        var c = ThresholdCalibration.best(new double[] {0.2, 0.2, 0.5}, new boolean[3]);
        assertEquals(0.5, c.threshold()); // score > 0.5 is false for all
        assertEquals(1.0, c.accuracy());
    }

    @Test
    void balancedSaysYesAsOftenAsThereAreTrueQuestions() {
        // sorted: 0.1 F, 0.2 T, 0.3 F, 0.4 T, 0.5 T, 0.9 F; three true → three yes: τ between
        // 0.3 and 0.4; accuracy: 0.4 T yes, 0.5 T yes, 0.9 F yes (wrong), 0.2 T no (wrong) → 4/6
        double[] s = {0.4, 0.9, 0.1, 0.5, 0.3, 0.2};
        boolean[] t = {true, false, false, true, false, true};
        var c = ThresholdCalibration.balanced(s, t);
        assertEquals(0.35, c.threshold(), 1e-12);
        assertEquals(4.0 / 6, c.accuracy(), 1e-12);
    }

    @Test
    void balancedOnTiesTakesTheNearestCountAnAnswererCanGive() {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + random.nextInt(40);
            double[] s = new double[n];
            boolean[] t = new boolean[n];
            int positives = 0;
            for (int i = 0; i < n; i++) {
                s[i] = random.nextInt(8) / 8.0; // many ties
                t[i] = random.nextBoolean();
                positives += t[i] ? 1 : 0;
            }
            double tau = ThresholdCalibration.balanced(s, t).threshold();
            int yes = 0;
            for (double v : s) {
                yes += v > tau ? 1 : 0;
            }
            // every yes-count a threshold can give: #(s > v) for each score v, and n (all yes)
            int nearest = n;
            for (double v : s) {
                int k = 0;
                for (double w : s) {
                    k += w > v ? 1 : 0;
                }
                if (Math.abs(k - positives) < Math.abs(nearest - positives)
                        || (Math.abs(k - positives) == Math.abs(nearest - positives)
                                && k < nearest)) {
                    nearest = k;
                }
            }
            assertEquals(nearest, yes, "trial " + trial);
        }
    }
}
