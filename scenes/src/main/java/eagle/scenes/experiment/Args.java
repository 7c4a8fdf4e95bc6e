package eagle.scenes.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
                        "unknown option '"
                                + a
                                + "'; known: --"
                                + String.join(", --", new TreeSet<>(known)));
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            args.values.put(a.substring(2), argv[++i]);
        }
        return args;
    }

    /**
     * Reports a bad option the way every command here does, with no stack trace: {@code command:
     * message} on standard error and exit status 2, the usage-error status.
     */
    public static void exitWithUsageError(String command, IllegalArgumentException e) {
        System.err.println(command + ": " + e.getMessage());
        System.exit(2);
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
