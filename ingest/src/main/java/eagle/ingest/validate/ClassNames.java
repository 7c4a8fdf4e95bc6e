package eagle.ingest.validate;

/**
 * What a class name may be: free text (spaces, hyphens, any script), but bounded, because the name
 * flows on to the trainer's prompts and the statistics' keys: at most {@link #MAX_LENGTH} Unicode
 * code points, no control character (general category Cc: C0, DEL, C1), no format character (Cf:
 * bidi overrides and isolates, soft hyphen, zero-width space, BOM, tags, …) except ZERO WIDTH
 * NON-JOINER and ZERO WIDTH JOINER (U+200C, U+200D, part of correct spelling in Persian and Indic
 * scripts and of emoji sequences), and no unpaired surrogate (Cs: JSON can escape one, it is no
 * character at all).
 */
public final class ClassNames {

    /** Most Unicode code points in a class name (as JSON Schema's maxLength counts). */
    public static final int MAX_LENGTH = 256;

    private static final int ZERO_WIDTH_NON_JOINER = 0x200C;
    private static final int ZERO_WIDTH_JOINER = 0x200D;

    private ClassNames() {}

    /**
     * @return null when {@code name} is a valid class name, else why not (never the whole name)
     */
    public static String problem(String name) {
        if (name.length()
                > MAX_LENGTH) { // a code point is one or two chars: chars bound code points
            int length = name.codePointCount(0, name.length());
            if (length > MAX_LENGTH) {
                return "className has " + length + " characters, limit " + MAX_LENGTH;
            }
        }
        int index = 0;
        for (int i = 0; i < name.length(); index++) {
            int c = name.codePointAt(i);
            int type = Character.getType(c);
            boolean bad =
                    type == Character.CONTROL
                            || type == Character.SURROGATE
                            || (type == Character.FORMAT
                                    && c != ZERO_WIDTH_NON_JOINER
                                    && c != ZERO_WIDTH_JOINER);
            if (bad) {
                return String.format(
                        "className has %s character U+%04X at position %d",
                        type == Character.CONTROL
                                ? "control"
                                : type == Character.FORMAT ? "format" : "unpaired surrogate",
                        c,
                        index);
            }
            i += Character.charCount(c);
        }
        return null;
    }
}
