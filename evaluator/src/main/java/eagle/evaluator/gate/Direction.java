package eagle.evaluator.gate;

import java.util.Locale;
import java.util.Optional;

/** Which way a metric improves (TFMA's {@code MetricDirection}). */
public enum Direction {
    /** accuracy, recall, F1, pair accuracy: a change passes when diff ≥ absolute */
    HIGHER_IS_BETTER,
    /** false-positive rate, yes-ratio drift: a change passes when diff ≤ absolute */
    LOWER_IS_BETTER;

    /**
     * Reads {@code higher}, {@code lower}, {@code HIGHER_IS_BETTER} or {@code LOWER_IS_BETTER} (any
     * case); empty for anything else, which the gate turns into a failing check (fail closed).
     */
    public static Optional<Direction> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        return switch (s.trim().toUpperCase(Locale.ROOT)) {
            case "HIGHER", "HIGHER_IS_BETTER" -> Optional.of(HIGHER_IS_BETTER);
            case "LOWER", "LOWER_IS_BETTER" -> Optional.of(LOWER_IS_BETTER);
            default -> Optional.empty();
        };
    }
}
