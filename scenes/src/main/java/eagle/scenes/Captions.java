package eagle.scenes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Captions with counts in words: the visible classes in order of first appearance, each with its
 * count ("a", "two", ...), joined by commas and "and", followed by the background phrase: "two red
 * triangles and a striped blue star on grass".
 */
public final class Captions {

    private static final String[] NUMBERS = {
        "no", "a", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve"
    };

    private Captions() {}

    /** "a" / "two" ... "twelve", then digits. */
    public static String count(int n) {
        return n >= 0 && n < NUMBERS.length ? NUMBERS[n] : Integer.toString(n);
    }

    /** "a red triangle", "an orange disc", "three red triangles". */
    public static String counted(int n, ObjectClass c) {
        if (n == 1) {
            return article(c.name()) + " " + c.name();
        }
        return count(n) + " " + c.plural();
    }

    static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    /** The caption of class ids (one per visible instance, drawing order) on a background. */
    public static String caption(List<Integer> classIds, Taxonomy taxonomy, Background background) {
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        for (int id : classIds) {
            counts.merge(id, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((id, n) -> parts.add(counted(n, taxonomy.get(id))));
        return join(parts) + " " + background.phrase();
    }

    /** "x", "x and y", "x, y and z". */
    public static String join(List<String> parts) {
        if (parts.isEmpty()) {
            return "nothing";
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1))
                + " and "
                + parts.get(parts.size() - 1);
    }
}
