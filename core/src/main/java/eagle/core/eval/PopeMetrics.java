package eagle.core.eval;

/**
 * POPE-style yes/no metrics over a set of questions "is there a {c}?".
 *
 * <p>With TP = yes∧present, FP = yes∧absent, TN = no∧absent, FN = no∧present and n = TP+FP+TN+FN:
 *
 * <pre>
 *   accuracy  = (TP + TN) / n
 *   precision = TP / (TP + FP)
 *   recall    = TP / (TP + FN)
 *   f1        = 2·precision·recall / (precision + recall)
 *   fpr       = FP / (FP + TN)
 *   yesRatio  = (TP + FP) / n
 * </pre>
 *
 * A ratio whose denominator is 0 is defined as 0 (precision of an encoder that never says yes,
 * recall or fpr of a set without positives or negatives, F1 when precision + recall = 0). An empty
 * question set is rejected. Reference: Li et al., "Evaluating Object Hallucination in Large
 * Vision-Language Models" (POPE), arXiv 2305.10355.
 */
public record PopeMetrics(
        long tp,
        long fp,
        long tn,
        long fn,
        double accuracy,
        double precision,
        double recall,
        double f1,
        double fpr,
        double yesRatio) {

    /**
     * Metrics of answers against the truth, element by element.
     *
     * @throws IllegalArgumentException when the arrays are null, empty or of different lengths
     */
    public static PopeMetrics of(boolean[] answers, boolean[] truth) {
        if (answers == null || truth == null) {
            throw new IllegalArgumentException("answers and truth must not be null");
        }
        if (answers.length != truth.length) {
            throw new IllegalArgumentException(
                    answers.length + " answers for " + truth.length + " truths");
        }
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < answers.length; i++) {
            if (answers[i]) {
                if (truth[i]) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (truth[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        return fromCounts(tp, fp, tn, fn);
    }

    /**
     * Metrics from the four confusion counts.
     *
     * @throws IllegalArgumentException when a count is negative or all are zero
     */
    public static PopeMetrics fromCounts(long tp, long fp, long tn, long fn) {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
            throw new IllegalArgumentException(
                    "confusion counts must be non-negative, got tp="
                            + tp
                            + " fp="
                            + fp
                            + " tn="
                            + tn
                            + " fn="
                            + fn);
        }
        long n = tp + fp + tn + fn;
        if (n == 0) {
            throw new IllegalArgumentException("POPE metrics need at least one question");
        }
        double precision = ratio(tp, tp + fp);
        double recall = ratio(tp, tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new PopeMetrics(
                tp,
                fp,
                tn,
                fn,
                ratio(tp + tn, n),
                precision,
                recall,
                f1,
                ratio(fp, fp + tn),
                ratio(tp + fp, n));
    }

    /** The metric called {@code name}: accuracy, precision, recall, f1, fpr or yes_ratio. */
    public double get(String name) {
        return switch (name) {
            case "accuracy" -> accuracy;
            case "precision" -> precision;
            case "recall" -> recall;
            case "f1" -> f1;
            case "fpr" -> fpr;
            case "yes_ratio" -> yesRatio;
            default ->
                    throw new IllegalArgumentException(
                            "unknown POPE metric '"
                                    + name
                                    + "'; known: "
                                    + String.join(", ", NAMES));
        };
    }

    /** The metric names in the order they are reported. */
    public static final java.util.List<String> NAMES =
            java.util.List.of("accuracy", "precision", "recall", "f1", "fpr", "yes_ratio");

    private static double ratio(long num, long den) {
        return den == 0 ? 0.0 : (double) num / den;
    }
}
