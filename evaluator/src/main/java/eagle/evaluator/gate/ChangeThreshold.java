package eagle.evaluator.gate;

import java.util.Objects;

/**
 * A change threshold against a reference encoder (TFMA's {@code GenericChangeThreshold}). With diff
 * = v_c − v_r and rel = (v_c − v_r) / v_r:
 *
 * <ul>
 *   <li>higher-is-better: diff ≥ absolute and rel ≥ relative;
 *   <li>lower-is-better: diff ≤ absolute and rel ≤ relative.
 * </ul>
 *
 * {@code absolute} may be negative for a higher-is-better metric ("no worse than ε": −0.01) and
 * positive for a lower-is-better one. Either bound may be null (not checked); at least one is
 * required.
 *
 * <p>A <b>paired</b> threshold (absolute only) compares the two encoders item by item on the suite
 * instead of by their point values: with the 95% bootstrap interval [lo, hi] of the mean per-item
 * difference (both encoders' outcomes resampled together), higher-is-better passes iff hi ≥
 * absolute and lower-is-better iff lo ≤ absolute. "Not below the baseline's" then means "the suite
 * does not show it below", a non-inferiority check whose margin is the suite's own resolution of
 * the difference (docs/METHOD.md §7). It needs the per-item outcomes of both encoders; without them
 * it fails.
 *
 * @param against the reference encoder
 * @param absolute bound on diff, or null
 * @param relative bound on rel, or null
 * @param paired whether the absolute bound is applied to the paired interval (absolute only)
 */
public record ChangeThreshold(Reference against, Double absolute, Double relative, boolean paired) {

    public ChangeThreshold {
        Objects.requireNonNull(against, "against");
        if (absolute == null && relative == null) {
            throw new IllegalArgumentException(
                    "a change threshold needs an absolute or a relative bound");
        }
        if (paired && (absolute == null || relative != null)) {
            throw new IllegalArgumentException(
                    "a paired change threshold takes an absolute bound only");
        }
    }

    /** A threshold on the point values (not paired). */
    public ChangeThreshold(Reference against, Double absolute, Double relative) {
        this(against, absolute, relative, false);
    }

    /** A paired absolute threshold (see the class comment). */
    public static ChangeThreshold paired(Reference against, double absolute) {
        return new ChangeThreshold(against, absolute, null, true);
    }

    public static ChangeThreshold absolute(Reference against, double absolute) {
        return new ChangeThreshold(against, absolute, null);
    }

    public static ChangeThreshold relative(Reference against, double relative) {
        return new ChangeThreshold(against, null, relative);
    }
}
