package eagle.core.eval;

import java.util.Arrays;

/**
 * Chooses the yes-threshold τ of the rule "answer yes iff score &gt; τ" on a calibration split.
 *
 * <p>{@link #balanced}: τ makes the split's yes-rate equal its share of true questions (an answerer
 * with no yes-bias; on POPE's half-yes sets it says yes to half), so encoders are compared at the
 * same operating point: with as many yes answers as true questions, every false yes is a missed
 * true one, and FPR, recall, accuracy and F1 move together. docs/METHOD.md §6 says why the
 * evaluation uses it.
 *
 * <p>{@link #best}: τ maximises accuracy (1/n) Σ_i [(score_i &gt; τ) = truth_i]. The candidates are
 * one value below the smallest score (everything yes), the midpoints between consecutive distinct
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

    /**
     * The threshold at which exactly as many calibration scores lie above τ as there are true
     * questions (k = #true): the midpoint between the k-th and the (k+1)-th highest score. Tied
     * scores at that boundary cannot be split; then the boundary moves to the nearest gap (fewer
     * yes answers on an exact tie distance), so the result is deterministic. O(n log n).
     *
     * @throws IllegalArgumentException on empty or mismatched input or a non-finite score
     */
    public static Calibration balanced(double[] scores, boolean[] truth) {
        int n = scores.length;
        if (n == 0 || truth.length != n) {
            throw new IllegalArgumentException(
                    "calibration needs equal, non-empty score and truth arrays, got "
                            + n
                            + " and "
                            + truth.length);
        }
        double[] sorted = scores.clone();
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(sorted[i])) {
                throw new IllegalArgumentException("score " + i + " is " + sorted[i]);
            }
        }
        Arrays.sort(sorted); // ascending
        int positives = 0;
        for (boolean t : truth) {
            positives += t ? 1 : 0;
        }
        // we want n − positives scores at or below τ: a cut between sorted[cut − 1] and sorted[cut]
        int want = n - positives;
        int bestCut = -1;
        for (int d = 0; d <= n; d++) {
            for (int cut : new int[] {want + d, want - d}) {
                if (cut >= 0 && cut <= n && separable(sorted, cut)) {
                    bestCut = cut;
                    break;
                }
            }
            if (bestCut >= 0) {
                break;
            }
        }
        double tau =
                bestCut == 0
                        ? sorted[0] - 1.0
                        : bestCut == n
                                ? sorted[n - 1]
                                : (sorted[bestCut - 1] + sorted[bestCut]) / 2;
        long correct = 0;
        for (int i = 0; i < n; i++) {
            correct += (scores[i] > tau) == truth[i] ? 1 : 0;
        }
        return new Calibration(tau, (double) correct / n);
    }

    /** Whether a threshold can put exactly the lowest {@code cut} sorted scores at or below it. */
    private static boolean separable(double[] sorted, int cut) {
        return cut == 0 || cut == sorted.length || sorted[cut - 1] < sorted[cut];
    }
}
