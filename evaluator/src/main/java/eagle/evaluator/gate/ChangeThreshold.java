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
 * @param against the reference encoder
 * @param absolute bound on diff, or null
 * @param relative bound on rel, or null
 */
public record ChangeThreshold(Reference against, Double absolute, Double relative) {

    public ChangeThreshold {
        Objects.requireNonNull(against, "against");
        if (absolute == null && relative == null) {
            throw new IllegalArgumentException(
                    "a change threshold needs an absolute or a relative bound");
        }
    }

    public static ChangeThreshold absolute(Reference against, double absolute) {
        return new ChangeThreshold(against, absolute, null);
    }

    public static ChangeThreshold relative(Reference against, double relative) {
        return new ChangeThreshold(against, null, relative);
    }
}
