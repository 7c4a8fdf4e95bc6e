package eagle.scenes;

/**
 * How scenes are sampled. Sizes are fractions of min(width, height); an object's size is its
 * diameter (2 R).
 *
 * @param width image width in pixels (default 64)
 * @param height image height in pixels (default 64)
 * @param minObjects fewest objects drawn (default 1)
 * @param maxObjects most objects drawn (default 6); occluded ones may be dropped
 * @param minSize smallest ordinary size (default 0.18)
 * @param maxSize largest ordinary size (default 0.40)
 * @param smallProbability chance that an object is "very small" (default 0.15)
 * @param smallMin smallest very-small size (default 0.06, ≈ 4 px at 64)
 * @param smallMax largest very-small size (default 0.10)
 * @param repeatProbability chance that an object repeats a class already in the scene (default 0.3)
 * @param favourProbability chance that a new class comes from the scene type's favoured set (0.85)
 * @param minVisibleFraction an object whose visible part is below this fraction of its own area, or
 *     below minVisiblePixels, is dropped from the scene (default 0.3)
 * @param minVisiblePixels default 3
 * @param colourJitter ± per-channel jitter of an instance's colour (default 18)
 */
public record SceneConfig(
        int width,
        int height,
        int minObjects,
        int maxObjects,
        double minSize,
        double maxSize,
        double smallProbability,
        double smallMin,
        double smallMax,
        double repeatProbability,
        double favourProbability,
        double minVisibleFraction,
        int minVisiblePixels,
        int colourJitter) {

    public SceneConfig {
        if (width < 8 || height < 8) {
            throw new IllegalArgumentException(
                    "images must be at least 8x8, got " + width + "x" + height);
        }
        if (minObjects < 1 || maxObjects < minObjects) {
            throw new IllegalArgumentException(
                    "need 1 <= minObjects <= maxObjects, got " + minObjects + ".." + maxObjects);
        }
        if (!(0 < minSize
                && minSize <= maxSize
                && maxSize <= 1
                && 0 < smallMin
                && smallMin <= smallMax)) {
            throw new IllegalArgumentException("object sizes must satisfy 0 < min <= max <= 1");
        }
    }

    /** The defaults at 64×64. */
    public static SceneConfig defaults() {
        return ofSize(64);
    }

    /** The defaults at size × size. */
    public static SceneConfig ofSize(int size) {
        return new SceneConfig(
                size, size, 1, 6, 0.18, 0.40, 0.15, 0.06, 0.10, 0.3, 0.85, 0.3, 3, 18);
    }

    public SceneConfig withObjects(int min, int max) {
        return new SceneConfig(
                width,
                height,
                min,
                max,
                minSize,
                maxSize,
                smallProbability,
                smallMin,
                smallMax,
                repeatProbability,
                favourProbability,
                minVisibleFraction,
                minVisiblePixels,
                colourJitter);
    }

    public SceneConfig withSizes(double min, double max, double smallProb) {
        return new SceneConfig(
                width,
                height,
                minObjects,
                maxObjects,
                min,
                max,
                smallProb,
                smallMin,
                smallMax,
                repeatProbability,
                favourProbability,
                minVisibleFraction,
                minVisiblePixels,
                colourJitter);
    }

    /** min(width, height): the length sizes are fractions of. */
    public int side() {
        return Math.min(width, height);
    }
}
