package eagle.scenes;

/**
 * Which seeds are for what. Training data (pretraining captions, EAGLE fine-tuning scenes, COCO
 * exports, class statistics) uses seeds in [0, 2^40). The held-out evaluation suite uses seeds in
 * [2^50, 2^50 + 2^36), one sub-range of 2^32 seeds per set (see {@link #suiteSeed}), so no suite
 * image is ever a training image.
 */
public final class SeedRanges {

    /** Exclusive upper bound of training seeds: 2^40. */
    public static final long TRAINING_END = 1L << 40;

    /** First suite seed: 2^50. */
    public static final long SUITE_BASE = 1L << 50;

    /** Seeds per suite set: 2^32. */
    public static final long SET_STRIDE = 1L << 32;

    /** Suite sets, each with its own seed sub-range. */
    public enum SuiteSet {
        ZERO_SHOT,
        POPE,
        CALIBRATION,
        MMVP
    }

    private SeedRanges() {}

    /**
     * Whether item i is one of a fraction of items picked evenly spread: 0.25 picks 3, 7, 11 … (how
     * pre-training and the experiment mix special scenes into their training seeds).
     */
    public static boolean evenlySpread(long i, double fraction) {
        return Math.floor((i + 1) * fraction) > Math.floor(i * fraction);
    }

    public static boolean isTraining(long seed) {
        return seed >= 0 && seed < TRAINING_END;
    }

    /** The seed of item i of a suite set: SUITE_BASE + set·2^32 + i. */
    public static long suiteSeed(SuiteSet set, long i) {
        if (i < 0 || i >= SET_STRIDE) {
            throw new IllegalArgumentException("suite item index " + i + " outside [0, 2^32)");
        }
        return SUITE_BASE + set.ordinal() * SET_STRIDE + i;
    }

    /** Throws when a seed is not a training seed (for trainers to guard their input). */
    public static long requireTraining(long seed) {
        if (!isTraining(seed)) {
            throw new IllegalArgumentException(
                    "seed " + seed + " is outside the training range [0, 2^40)");
        }
        return seed;
    }
}
