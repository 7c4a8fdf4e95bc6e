package eagle.scenes.suite;

/**
 * What a {@link SuiteEncoder} returned, checked against what it was asked for before any score is
 * computed from it: a wrong count or width would otherwise surface as an index error deep in a
 * metric, or worse, as a plausible number.
 */
final class EncoderOutputChecks {

    private EncoderOutputChecks() {}

    /**
     * {@code rows} (N, D) with N = {@code expected} and every row of the same non-zero width D.
     *
     * @param what the call, for the message ("imageCls", "texts(class prompts)")
     */
    static float[][] checkRows(float[][] rows, int expected, String what) {
        if (rows == null || rows.length != expected) {
            throw new IllegalStateException(
                    "encoder "
                            + what
                            + " returned "
                            + (rows == null ? "null" : rows.length)
                            + " rows for "
                            + expected
                            + " inputs");
        }
        for (float[] r : rows) {
            if (r == null || r.length != rows[0].length || r.length == 0) {
                throw new IllegalStateException(
                        "encoder " + what + " returned rows of unequal or zero width");
            }
        }
        return rows;
    }

    /**
     * {@code s} (B, P, D) with B = {@code expected}, at least one patch an image and every patch
     * feature as wide as the text features ({@code d}), so that patch-text cosines are defined.
     */
    static float[][][] checkPatches(float[][][] s, int expected, int d) {
        if (s == null || s.length != expected) {
            throw new IllegalStateException(
                    "encoder imagePatches returned "
                            + (s == null ? "null" : s.length)
                            + " images for "
                            + expected);
        }
        for (float[][] img : s) {
            if (img == null || img.length == 0) {
                throw new IllegalStateException(
                        "encoder imagePatches returned an image without patches");
            }
            for (float[] p : img) {
                if (p.length != d) {
                    throw new IllegalStateException(
                            "encoder patch feature has width "
                                    + p.length
                                    + ", text features have "
                                    + d);
                }
            }
        }
        return s;
    }
}
