package eagle.scenes.suite;

/**
 * Sizes of the held-out suite.
 *
 * @param zeroShotImages one-object images for zero-shot classification (default 2000:
 *     docs/METHOD.md §6 saw a spurious 0.03 drop with 400)
 * @param popeImages multi-object images for POPE questions (default 1000)
 * @param calibrationImages separate images whose questions choose the yes-threshold (default 300)
 * @param mmvpPairsPerKind MMVP pairs per kind of difference (default 50 → 300 pairs)
 * @param statsScenes training scenes (seeds [0, statsScenes)) whose class statistics define
 *     "popular" and "adversarial" negatives (default 5000)
 */
public record SuiteConfig(
        int zeroShotImages,
        int popeImages,
        int calibrationImages,
        int mmvpPairsPerKind,
        int statsScenes) {

    public SuiteConfig {
        if (zeroShotImages < 1
                || popeImages < 1
                || calibrationImages < 1
                || mmvpPairsPerKind < 1
                || statsScenes < 1) {
            throw new IllegalArgumentException(
                    "every suite set needs at least one item, got zeroShot="
                            + zeroShotImages
                            + " pope="
                            + popeImages
                            + " calibration="
                            + calibrationImages
                            + " mmvpPerKind="
                            + mmvpPairsPerKind
                            + " stats="
                            + statsScenes);
        }
    }

    public static SuiteConfig defaults() {
        return new SuiteConfig(2000, 1000, 300, 50, 5000);
    }

    /**
     * A {@code --suite} argument: {@code standard} ({@link #defaults()}) or {@code small} (480
     * zero-shot images, for quick runs).
     */
    public static SuiteConfig named(String name) {
        return switch (name) {
            case "standard" -> defaults();
            case "small" -> new SuiteConfig(480, 200, 100, 10, 2000);
            default ->
                    throw new IllegalArgumentException(
                            "--suite must be standard or small, got '" + name + "'");
        };
    }
}
