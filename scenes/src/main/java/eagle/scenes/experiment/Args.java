package eagle.scenes.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} command-line options, with the known names checked so a typo is an error.
 */
public final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();

    private Args() {}

    /**
     * @throws IllegalArgumentException for an unknown option or one without a value
     */
    public static Args parse(String[] argv, Set<String> known) {
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--") || !known.contains(a.substring(2))) {
                throw new IllegalArgumentException(
                        "unknown option '" + a + "'; known: --" + String.join(", --", known));
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            args.values.put(a.substring(2), argv[++i]);
        }
        return args;
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int getInt(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    public double getDouble(String name, double fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }
}
