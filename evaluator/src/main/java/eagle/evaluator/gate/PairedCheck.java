package eagle.evaluator.gate;

import eagle.core.eval.Bootstrap;
import java.util.Locale;

/**
 * A paired change check ({@link ChangeThreshold#paired()}, docs/METHOD.md §7): the 95% bootstrap
 * interval of the mean per-item difference between the candidate's and a reference's outcomes on
 * the same suite items (core's {@link Bootstrap#pairedDifferenceCi}, with the suite's resamples and
 * seed at 95%; 1,000 and seed 0 where the suite's are not known), against the absolute bound:
 * higher-is-better passes iff the interval's upper end is ≥ the bound, lower-is-better iff its
 * lower end is ≤ it; that end is the check's {@code observed} value (the point difference is in its
 * reason). Fails closed when either encoder lacks the metric's outcomes, when their lengths differ
 * (not the same items), or when a value is not usable.
 */
final class PairedCheck {

    private PairedCheck() {}

    /**
     * @param problem why the values cannot be compared (a missing or non-finite value), or null
     */
    static Check of(
            MetricThreshold t,
            ChangeThreshold c,
            MetricSet candidate,
            MetricSet ref,
            double v,
            double r,
            Bootstrap.Options options,
            String problem) {
        String refName =
                c.against().name().toLowerCase(Locale.ROOT)
                        + (ref.version() == null ? "" : " v" + ref.version());
        boolean[] a = candidate.outcomes().get(t.metric());
        boolean[] b = ref.outcomes().get(t.metric());
        if (problem == null && t.direction() == null) {
            problem = t.metric() + ": unknown direction";
        }
        if (problem == null && (a == null || b == null)) {
            problem =
                    t.metric()
                            + ": a paired check needs the per-item outcomes of both encoders; the "
                            + (a == null ? "candidate" : refName)
                            + " has none";
        }
        if (problem == null && a.length != b.length) {
            problem =
                    String.format(
                            Locale.ROOT,
                            "%s: the candidate has %d outcomes, the %s %d: not the same suite items",
                            t.metric(),
                            a.length,
                            refName,
                            b.length);
        }
        double bound = c.absolute();
        double end = Double.NaN;
        boolean ok = false;
        String reason = problem;
        if (problem == null) {
            Bootstrap.Interval iv = Bootstrap.pairedDifferenceCi(a, b, options.withLevel(0.95));
            boolean higher = t.direction() == Direction.HIGHER_IS_BETTER;
            end = higher ? iv.upper() : iv.lower();
            ok = higher ? end >= bound : end <= bound;
            reason =
                    String.format(
                            Locale.ROOT,
                            "%s: paired diff vs %s = %+.4f over %d items, 95%% interval [%+.4f,"
                                    + " %+.4f]; its %s end %s %s",
                            t.metric(),
                            refName,
                            v - r,
                            a.length,
                            iv.lower(),
                            iv.upper(),
                            higher ? "upper" : "lower",
                            ok ? (higher ? "≥" : "≤") : (higher ? "not ≥" : "not ≤"),
                            bound);
        }
        return new Check(
                t.metric(),
                t.slice(),
                Check.Kind.PAIRED_CHANGE,
                c.against(),
                ref.version(),
                bound,
                v,
                r,
                end,
                ok,
                reason);
    }
}
