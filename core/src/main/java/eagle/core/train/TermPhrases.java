package eagle.core.train;

import eagle.core.text.CountedPhrases;
import eagle.core.text.PlacePhrases;
import eagle.core.text.Tokenizer;
import java.util.List;

/**
 * The tokenised phrases of the terms that ask about more than the class (docs/METHOD.md §3): the
 * count presence term's counted phrases and the place term's place phrases, each class-major and
 * null when its term is off.
 *
 * @param counted (C·M, T), {@link CountedPhrases#of} order; needed when λ_n &gt; 0
 * @param placed (C·Q, T), {@link PlacePhrases#of} order; needed when λ_s &gt; 0
 */
public record TermPhrases(int[][] counted, int[][] placed) {

    /** No phrases: the count and place terms must be off. */
    public static TermPhrases none() {
        return new TermPhrases(null, null);
    }

    /**
     * The phrases the config's terms need, of {@code classNames}, tokenised by {@code tokenizer}; a
     * term that is off gets none.
     *
     * @throws IllegalArgumentException when a needed phrase cannot be encoded (naming it and the
     *     term)
     */
    public static TermPhrases of(
            TrainingConfig config, Tokenizer tokenizer, List<String> classNames) {
        return of(List.of(config), tokenizer, classNames);
    }

    /**
     * The phrases any of {@code configs} needs (an experiment's arms share one set), of {@code
     * classNames}, tokenised by {@code tokenizer}.
     *
     * @throws IllegalArgumentException when a needed phrase cannot be encoded (naming it and the
     *     term)
     */
    public static TermPhrases of(
            List<TrainingConfig> configs, Tokenizer tokenizer, List<String> classNames) {
        boolean counted = configs.stream().anyMatch(c -> c.countLambda() > 0);
        boolean placed = configs.stream().anyMatch(c -> c.placeLambda() > 0);
        return new TermPhrases(
                counted ? CountedPhrases.encode(tokenizer, classNames) : null,
                placed ? PlacePhrases.encode(tokenizer, classNames) : null);
    }

    /**
     * Checks that each term that is on has a whole number of phrases per class.
     *
     * @throws IllegalArgumentException naming the term whose phrases are missing or not whole
     */
    void check(TrainingConfig config, int classes) {
        if (config.countLambda() > 0 && !whole(counted, classes, 0)) {
            throw new IllegalArgumentException(
                    "count presence lambda > 0 needs M counted phrases for each of the "
                            + classes
                            + " classes, got "
                            + (counted == null ? "none" : counted.length));
        }
        if (config.placeLambda() > 0 && !whole(placed, classes, PlacePhrases.PER_CLASS)) {
            throw new IllegalArgumentException(
                    "place lambda > 0 needs "
                            + PlacePhrases.PER_CLASS
                            + " place phrases for each of the "
                            + classes
                            + " classes, got "
                            + (placed == null ? "none" : placed.length));
        }
    }

    /** Rows a positive multiple of the classes (exactly {@code perClass} each when it is > 0). */
    private static boolean whole(int[][] rows, int classes, int perClass) {
        if (rows == null || rows.length == 0 || rows.length % classes != 0) {
            return false;
        }
        return perClass == 0 || rows.length == classes * perClass;
    }
}
