package eagle.core.eval;

import java.util.Arrays;

/**
 * Chooses the yes-threshold τ of the rule "answer yes iff score &gt; τ" on a calibration split.
 *
 * <p>Rule: τ maximises accuracy (1/n) Σ_i [(score_i &gt; τ) = truth_i]. The candidates are one
 * value below the smallest score (everything yes), the midpoints between consecutive distinct
 * sorted scores, and the largest score (everything no); among candidates of equal accuracy the
 * lowest τ wins, so the result is deterministic. O(n log n).
 */
public final class ThresholdCalibration {

    private ThresholdCalibration() {}

    /** The chosen threshold and its calibration accuracy. */
    public record Calibration(double threshold, double accuracy) {}

    /**
     * @throws IllegalArgumentException on empty or mismatched input or a non-finite score
     */
    public static Calibration best(double[] scores, boolean[] truth) {
        int n = scores.length;
        if (n == 0 || truth.length != n) {
            throw new IllegalArgumentException(
                    "calibration needs equal, non-empty score and truth"
                            + " arrays, got "
                            + n
                            + " and "
                            + truth.length);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is " + scores[i]);
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        long positives = 0;
        for (boolean t : truth) {
            if (t) {
                positives++;
            }
        }
        // τ below every score: all yes → correct = positives.
        long correct = positives;
        double bestTau = scores[order[0]] - 1.0;
        long bestCorrect = correct;
        int i = 0;
        while (i < n) {
            double v = scores[order[i]];
            // move every score equal to v to the "no" side
            while (i < n && scores[order[i]] == v) {
                correct += truth[order[i]] ? -1 : 1;
                i++;
            }
            double tau = i < n ? (v + scores[order[i]]) / 2 : v;
            if (correct > bestCorrect) {
                bestCorrect = correct;
                bestTau = tau;
            }
        }
        return new Calibration(bestTau, (double) bestCorrect / n);
    }
}
