package eagle.core.eval;

/**
 * MMVP-style pair scoring (Tong et al., "Eyes Wide Shut?", arXiv 2401.06209).
 *
 * <p>Pair k has images I₀, I₁ and statements s₀, s₁ (s_i describes I_i) and a score matrix
 * score[k][i][j] = sim(s_i, I_j). Statement i picks image argmax_j score[k][i][j]; the pair counts
 * iff both statements pick their own image: score[k][0][0] &gt; score[k][0][1] and score[k][1][1]
 * &gt; score[k][1][0] (a tie picks neither, so a constant encoder scores 0). pair accuracy = (1/K)
 * Σ_k [pair k counts].
 */
public final class MmvpScore {

    private MmvpScore() {}

    /** Whether each pair counts: scores (K, 2, 2) → (K). */
    public static boolean[] pairCorrect(double[][][] scores) {
        boolean[] ok = new boolean[scores.length];
        for (int k = 0; k < scores.length; k++) {
            double[][] s = scores[k];
            if (s.length != 2 || s[0].length != 2 || s[1].length != 2) {
                throw new IllegalArgumentException("pair " + k + " needs a 2x2 score matrix");
            }
            ok[k] = s[0][0] > s[0][1] && s[1][1] > s[1][0];
        }
        return ok;
    }

    /** The fraction of pairs that count; an empty set is rejected. */
    public static double pairAccuracy(double[][][] scores) {
        return ZeroShot.fraction(pairCorrect(scores));
    }
}
