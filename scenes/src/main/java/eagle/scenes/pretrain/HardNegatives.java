package eagle.scenes.pretrain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A caption's hard negative: the same caption with one word that says where, which way, how large
 * or how many turned into its opposite ("a red triangle on the left" → "a red triangle on the
 * right"). Contrastive pre-training compares a caption with the other captions of its batch, which
 * almost never differ from it in one such word, so nothing teaches the text tower those words: the
 * fifth base embedded "a red triangle on the left" and "… on the right" at cosine 0.999. Scored
 * against the image as extra captions (NegCLIP's hard negatives, Yuksekgonul et al., "When and why
 * vision-language models behave like bags-of-words", ICLR 2023), they do.
 *
 * <p>Swaps: left ↔ right, top ↔ bottom, up ↔ down, large ↔ small, two → three, three → two or four,
 * four → three. A caption with none of these words has no negative.
 */
public final class HardNegatives {

    private static final Map<String, List<String>> OPPOSITES =
            Map.ofEntries(
                    Map.entry("left", List.of("right")),
                    Map.entry("right", List.of("left")),
                    Map.entry("top", List.of("bottom")),
                    Map.entry("bottom", List.of("top")),
                    Map.entry("up", List.of("down")),
                    Map.entry("down", List.of("up")),
                    Map.entry("large", List.of("small")),
                    Map.entry("small", List.of("large")),
                    Map.entry("two", List.of("three")),
                    Map.entry("three", List.of("two", "four")),
                    Map.entry("four", List.of("three")));

    private HardNegatives() {}

    /**
     * @param caption words separated by single spaces
     * @param seed chooses the word (and the opposite, where there are two)
     * @return the caption with one swappable word replaced, or null when it has none
     */
    public static String of(String caption, long seed) {
        String[] words = caption.split(" ");
        List<Integer> swappable = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            if (opposites(words[i]) != null) {
                swappable.add(i);
            }
        }
        if (swappable.isEmpty()) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int i = swappable.get(rng.nextInt(swappable.size()));
        List<String> choices = opposites(words[i]);
        words[i] = choices.get(rng.nextInt(choices.size()));
        return String.join(" ", words);
    }

    private static List<String> opposites(String word) {
        return OPPOSITES.get(word.toLowerCase(Locale.ROOT));
    }
}
