package eagle.registry.service;

import java.util.regex.Pattern;

/**
 * Validation of the names and free-text fields that reach the registry from outside. Model and
 * alias names are lower-case slugs ({@code [a-z0-9][a-z0-9._-]{0,63}}, no {@code ..}), so they are
 * safe in paths, topic keys and file names; every free-text field has an upper bound.
 */
public final class Names {

    /** model and alias names */
    public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    public static final int MAX_REASON = 1024;
    public static final int MAX_DESCRIPTION = 1024;
    public static final int MAX_SUITE_ID = 128;
    public static final int MAX_URL = 2048;

    private Names() {}

    public static String model(String name) {
        return slug("model name", name);
    }

    public static String alias(String name) {
        return slug("alias name", name);
    }

    private static String slug(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw RegistryException.badRequest("INVALID_NAME", what + " is required");
        }
        if (name.length() > 64 || !SLUG.matcher(name).matches() || name.contains("..")) {
            throw RegistryException.badRequest(
                    "INVALID_NAME",
                    what
                            + " '"
                            + abbreviate(name)
                            + "' must match [a-z0-9][a-z0-9._-]{0,63} without '..'");
        }
        return name;
    }

    public static String sha256(String hex) {
        if (hex == null || !SHA256.matcher(hex).matches()) {
            throw RegistryException.badRequest(
                    "INVALID_SHA256",
                    "sha256 must be 64 lower-case hex characters, got '"
                            + abbreviate(String.valueOf(hex))
                            + "'");
        }
        return hex;
    }

    /** A required, bounded free-text field. */
    public static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw RegistryException.badRequest("MISSING_FIELD", field + " is required");
        }
        return optionalText(field, value, max);
    }

    /** An optional, bounded free-text field. */
    public static String optionalText(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw RegistryException.badRequest(
                    "FIELD_TOO_LONG",
                    field + " is " + value.length() + " characters; at most " + max + " allowed");
        }
        return value;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
