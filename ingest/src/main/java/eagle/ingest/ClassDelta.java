package eagle.ingest;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The change one image's update makes to one class's statistics. With {@code n_c} the image's
 * instances of class c before and {@code n'_c} after:
 *
 * <pre>
 *   instances = n'_c − n_c
 *   images    = [n'_c &gt; 0] − [n_c &gt; 0]
 *   cooccurrence[d] = [n'_c &gt; 0 ∧ n'_d &gt; 0] − [n_c &gt; 0 ∧ n_d &gt; 0]     (d ≠ c; image-level)
 * </pre>
 *
 * Only non-zero deltas are kept.
 *
 * @param className the class c
 * @param instances change of its instance count
 * @param images change of the number of images containing it
 * @param cooccurrence change of the number of images containing both c and d, per d
 */
public record ClassDelta(
        String className, long instances, long images, Map<String, Long> cooccurrence) {

    public ClassDelta {
        cooccurrence = Map.copyOf(cooccurrence);
    }

    /**
     * The deltas that turn statistics counting {@code before} into statistics counting {@code
     * after} (instances per class of one image; empty maps for "absent").
     */
    public static List<ClassDelta> between(
            Map<String, Integer> before, Map<String, Integer> after) {
        TreeSet<String> classes = new TreeSet<>(before.keySet());
        classes.addAll(after.keySet());
        List<ClassDelta> out = new java.util.ArrayList<>();
        for (String c : classes) {
            int was = before.getOrDefault(c, 0);
            int now = after.getOrDefault(c, 0);
            Map<String, Long> co = new TreeMap<>();
            for (String d : classes) {
                if (!d.equals(c)) {
                    long change =
                            indicator(now > 0 && after.getOrDefault(d, 0) > 0)
                                    - indicator(was > 0 && before.getOrDefault(d, 0) > 0);
                    if (change != 0) {
                        co.put(d, change);
                    }
                }
            }
            long images = indicator(now > 0) - indicator(was > 0);
            if (now != was || images != 0 || !co.isEmpty()) {
                out.add(new ClassDelta(c, now - was, images, co));
            }
        }
        return out;
    }

    private static long indicator(boolean b) {
        return b ? 1 : 0;
    }
}
