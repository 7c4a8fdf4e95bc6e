package eagle.core.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Phrases that say how many instances of a class an image holds ("a red triangle", "two red
 * triangles", … "four red triangles"), the prompts of the count presence term (docs/METHOD.md §3).
 * English number words and plurals: the last word of a class name takes "es" after s, x, z, ch or
 * sh, "ies" for a consonant and y, else "s" (irregular nouns are not handled).
 */
public final class CountedPhrases {

    /** Counts 1 … {@value} have a phrase; an image with more instances has none that fits. */
    public static final int MAX_COUNT = 4;

    private static final String[] NUMBERS = {"zero", "one", "two", "three", "four"};

    private CountedPhrases() {}

    /**
     * @return the phrases of every class, class-major: row c·{@link #MAX_COUNT} + (n − 1) says n
     *     instances of class c, (C·{@link #MAX_COUNT})
     */
    public static List<String> of(List<String> classNames) {
        List<String> phrases = new ArrayList<>(classNames.size() * MAX_COUNT);
        for (String name : classNames) {
            for (int n = 1; n <= MAX_COUNT; n++) {
                phrases.add(phrase(n, name));
            }
        }
        return phrases;
    }

    /**
     * {@link #of} the classes, tokenised.
     *
     * @throws IllegalArgumentException naming the first phrase the tokenizer cannot encode (a word
     *     vocabulary without count words, or a phrase too long)
     */
    public static int[][] encode(Tokenizer tokenizer, List<String> classNames) {
        return tokenizer.encodeEvery(
                of(classNames),
                "the count presence term needs counted phrases",
                "a word vocabulary without count words: pre-train the base with counted scenes, or"
                        + " set the count lambda to 0");
    }

    /** "a disc", "an orange disc", "three red crosses". */
    public static String phrase(int n, String className) {
        if (n < 1 || n > MAX_COUNT) {
            throw new IllegalArgumentException(
                    "a counted phrase needs 1 <= n <= " + MAX_COUNT + ", got " + n);
        }
        String name = className.strip();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a class name is empty");
        }
        if (n == 1) {
            return ("aeiou".indexOf(Character.toLowerCase(name.charAt(0))) >= 0 ? "an " : "a ")
                    + name;
        }
        return NUMBERS[n] + " " + plural(name);
    }

    /** The plural of a class name: its last word's. */
    static String plural(String name) {
        String lower = name.toLowerCase();
        if (lower.endsWith("s")
                || lower.endsWith("x")
                || lower.endsWith("z")
                || lower.endsWith("ch")
                || lower.endsWith("sh")) {
            return name + "es";
        }
        if (lower.length() > 1
                && lower.endsWith("y")
                && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
            return name.substring(0, name.length() - 1) + "ies";
        }
        return name + "s";
    }
}
