package eagle.registry.service;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether a version keeps its parent's architecture (docs/ARCHITECTURE.md, Registry). A version's
 * {@code architecture} is the encoder spec JSON {@code {"family", "preset", "config": {...},
 * "tokenizer": {...}, "promptTemplates": [...]}}; a child must have its parent's {@code family},
 * {@code config} and {@code tokenizer} (weights trained from the parent have its shapes and read
 * its token ids). {@code preset} (a name) and {@code promptTemplates} may differ. The registry does
 * not depend on the encoder library: it compares the JSON values, numbers by value ({@code 1e-5} =
 * {@code 0.00001}, {@code 768} = {@code 768.0}), objects key by key, arrays element by element.
 */
public final class ArchitectureComparison {

    /**
     * The members of the architecture a child must share with its parent, in the order they are
     * compared.
     */
    public static final List<String> COMPARED = List.of("family", "config", "tokenizer");

    private static final int MAX_SHOWN = 80;

    private ArchitectureComparison() {}

    /**
     * The first difference, as {@code "architecture.config.vision.width: 768 != 1024"} (this
     * version's value first, the parent's second; {@code absent} for a missing member), or empty
     * when they agree.
     */
    public static Optional<String> firstDifference(
            Map<String, Object> version, Map<String, Object> parent) {
        for (String member : COMPARED) {
            Optional<String> d =
                    difference(
                            "architecture." + member,
                            version.containsKey(member),
                            version.get(member),
                            parent.containsKey(member),
                            parent.get(member));
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> difference(
            String path, boolean aPresent, Object a, boolean bPresent, Object b) {
        if (aPresent != bPresent) {
            return Optional.of(
                    path
                            + ": "
                            + (aPresent ? show(a) : "absent")
                            + " != "
                            + (bPresent ? show(b) : "absent"));
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            TreeSet<String> keys =
                    new TreeSet<>(); // sorted: the same first difference whatever the key order
            ma.keySet().forEach(k -> keys.add(String.valueOf(k)));
            mb.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                Optional<String> d =
                        difference(
                                path + "." + k,
                                ma.containsKey(k),
                                ma.get(k),
                                mb.containsKey(k),
                                mb.get(k));
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                Optional<String> d =
                        difference(
                                path + "[" + i + "]",
                                i < la.size(),
                                i < la.size() ? la.get(i) : null,
                                i < lb.size(),
                                i < lb.size() ? lb.get(i) : null);
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (a instanceof Number na && b instanceof Number nb) {
            return new BigDecimal(na.toString()).compareTo(new BigDecimal(nb.toString())) == 0
                    ? Optional.empty()
                    : Optional.of(path + ": " + show(a) + " != " + show(b));
        }
        return java.util.Objects.equals(a, b)
                ? Optional.empty()
                : Optional.of(path + ": " + show(a) + " != " + show(b));
    }

    /** A JSON-like rendering, cut at {@value #MAX_SHOWN} characters. */
    private static String show(Object v) {
        String s =
                v instanceof String str
                        ? "\"" + str + "\""
                        : v instanceof Map<?, ?>
                                ? "{…}"
                                : v instanceof List<?> l
                                        ? "[" + l.size() + " items]"
                                        : String.valueOf(v);
        return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "…" : s;
    }
}
