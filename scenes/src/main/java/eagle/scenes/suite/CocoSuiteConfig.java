package eagle.scenes.suite;

import eagle.scenes.Taxonomy;

/**
 * How a {@link CocoSuite} is carved from a COCO-format set.
 *
 * @param calibrationFraction share of the images (by a hash of the image id and the seed) that
 *     choose the POPE yes-threshold and are not evaluated (default 0.2)
 * @param mmvpPairsPerKind at most this many pairs of each kind (default 50)
 * @param minInstancePixels smaller instances give no zero-shot item (default 1024 = 32², COCO's
 *     "small")
 * @param cropMargin the CLS crop: the instance's box grown by this fraction of its larger side on
 *     each side and made square where the image allows (default 0.1)
 * @param seed fixes every random choice (default 0)
 * @param template prompt template, must contain "{c}"
 */
public record CocoSuiteConfig(
        double calibrationFraction,
        int mmvpPairsPerKind,
        int minInstancePixels,
        double cropMargin,
        long seed,
        String template) {

    public CocoSuiteConfig {
        if (!(calibrationFraction > 0 && calibrationFraction < 1)) {
            throw new IllegalArgumentException(
                    "calibrationFraction must be in (0, 1), got " + calibrationFraction);
        }
        if (mmvpPairsPerKind < 0 || minInstancePixels < 1 || !(cropMargin >= 0)) {
            throw new IllegalArgumentException(
                    "need mmvpPairsPerKind >= 0, minInstancePixels >= 1, cropMargin >= 0;"
                            + " got "
                            + mmvpPairsPerKind
                            + ", "
                            + minInstancePixels
                            + ", "
                            + cropMargin);
        }
        if (template == null || !template.contains("{c}")) {
            throw new IllegalArgumentException(
                    "prompt template must contain {c}: '" + template + "'");
        }
    }

    public static CocoSuiteConfig defaults() {
        return new CocoSuiteConfig(0.2, 50, 1024, 0.1, 0, Taxonomy.DEFAULT_TEMPLATE);
    }
}
