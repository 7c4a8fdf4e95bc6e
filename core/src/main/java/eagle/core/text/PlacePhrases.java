package eagle.core.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Phrases that say where in the image an instance of a class lies ("a red triangle on the left", "a
 * red triangle at the bottom"), the prompts of the place term (docs/METHOD.md §3). Class-major:
 * each class has one phrase per {@link Place}, in the enum's order.
 */
public final class PlacePhrases {

    /** Where an instance lies, by the side of the image its mask leans to. */
    public enum Place {
        LEFT("on the left"),
        RIGHT("on the right"),
        TOP("at the top"),
        BOTTOM("at the bottom");

        private final String words;

        Place(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** Q, the phrases per class. */
    public static final int PER_CLASS = Place.values().length;

    private PlacePhrases() {}

    /**
     * @return every class's phrases, class-major: row c·Q + q puts class c at place q, (C·Q)
     */
    public static List<String> of(List<String> classNames) {
        List<String> phrases = new ArrayList<>(classNames.size() * PER_CLASS);
        for (String name : classNames) {
            for (Place place : Place.values()) {
                phrases.add(CountedPhrases.phrase(1, name) + " " + place.words());
            }
        }
        return phrases;
    }

    /**
     * {@link #of} the classes, tokenised.
     *
     * @throws IllegalArgumentException naming the first phrase the tokenizer cannot encode (a word
     *     vocabulary without the place words, or a phrase too long)
     */
    public static int[][] encode(Tokenizer tokenizer, List<String> classNames) {
        return tokenizer.encodeEvery(
                of(classNames),
                "the place term needs place phrases",
                "a word vocabulary without place words: pre-train the base with described scenes,"
                        + " or set the place lambda to 0");
    }
}
