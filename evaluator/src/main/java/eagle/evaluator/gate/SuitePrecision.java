package eagle.evaluator.gate;

import eagle.core.eval.Bootstrap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether the suite is large enough for the gate's margins (docs/METHOD.md §6–§7). A change
 * threshold with a non-zero absolute bound tolerates that much change (its margin: 0.01 for "CLS no
 * worse than the baseline by more than 0.01"); when the candidate's 95% bootstrap interval of the
 * metric has a half-width above the smallest such margin of the metric, the suite cannot tell a
 * change of the margin's size from noise, and the evaluation says so instead of pretending
 * precision: a note ({@code suite too small for the margin: zeroshot_cls interval ±0.040 > margin
 * 0.010}) in the blessing's notes and in the reason of the metric's slice.
 *
 * <p>Margins of 0 ("not below the baseline's") and relative bounds are not assessed: they compare
 * point estimates by choice. Paired thresholds are not either: they read the interval themselves.
 * With {@link Policy#WARN} (the default) the verdict is unchanged; with {@link Policy#BLOCK} a
 * slice with an imprecise metric fails.
 */
public final class SuitePrecision {

    /**
     * Slack of the comparison: interval bounds are accuracies on a grid (k/n), so a half-width
     * equal to the margin is common and comes out of the subtraction a few ulps above it.
     */
    private static final double ROUNDING = 1e-9;

    /** What an imprecise suite does to the verdict. */
    public enum Policy {
        /** said in the notes and the slice's reason; the verdict is unchanged */
        WARN,
        /** the slice fails with that reason */
        BLOCK
    }

    /** One gated metric's interval against its margin. */
    public record Assessment(
            String metric, String slice, double halfWidth, double margin, boolean tooWide) {

        /**
         * The note; the half-width gets more decimals (up to six) when three would print it equal
         * to the margin it exceeds ("±0.0103 > margin 0.010", not "±0.010 > margin 0.010").
         */
        public String note() {
            int decimals = 3;
            while (decimals < 6 && rounded(halfWidth, decimals).equals(rounded(margin, decimals))) {
                decimals++;
            }
            String half = rounded(halfWidth, decimals);
            return String.format(
                    Locale.ROOT,
                    "suite too small for the margin: %s interval ±%s > margin %.3f",
                    metric,
                    half,
                    margin);
        }
    }

    private static String rounded(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private SuitePrecision() {}

    /**
     * Each gated metric with a non-zero absolute margin and a finite interval: its half-width
     * against the smallest margin.
     */
    public static List<Assessment> assess(GateConfig gate, Map<String, Bootstrap.Interval> ci) {
        Map<String, Assessment> out = new LinkedHashMap<>();
        for (MetricThreshold t : gate.thresholds()) {
            double margin = Double.POSITIVE_INFINITY;
            for (ChangeThreshold c : t.changes()) {
                if (!c.paired()
                        && c.absolute() != null
                        && c.absolute() != 0
                        && Double.isFinite(c.absolute())) {
                    margin = Math.min(margin, Math.abs(c.absolute()));
                }
            }
            Bootstrap.Interval iv = ci.get(t.metric());
            if (!Double.isFinite(margin)
                    || iv == null
                    || !Double.isFinite(iv.lower())
                    || !Double.isFinite(iv.upper())) {
                continue;
            }
            double half = iv.width() / 2;
            out.putIfAbsent(
                    t.metric() + "@" + t.slice(),
                    new Assessment(t.metric(), t.slice(), half, margin, half > margin + ROUNDING));
        }
        return List.copyOf(out.values());
    }

    /**
     * The blessing with a note per imprecise metric, added to its notes and its slice's reason
     * (and, under {@link Policy#BLOCK}, failing that slice).
     */
    public static Blessing apply(Blessing b, List<Assessment> assessed, Policy policy) {
        List<Assessment> wide = assessed.stream().filter(Assessment::tooWide).toList();
        if (wide.isEmpty()) {
            return b;
        }
        List<String> notes = new ArrayList<>(b.notes());
        wide.forEach(a -> notes.add(a.note()));
        List<SliceVerdict> slices = new ArrayList<>();
        boolean passed = true;
        for (SliceVerdict s : b.slices()) {
            List<String> mine =
                    wide.stream()
                            .filter(a -> a.slice().equals(s.slice()))
                            .map(Assessment::note)
                            .toList();
            SliceVerdict v = s;
            if (!mine.isEmpty()) {
                String said = String.join("; ", mine);
                boolean ok = s.passed() && policy == Policy.WARN;
                String reason =
                        s.reason() == null
                                ? (ok ? "passed; " : "") + said
                                : s.reason() + "; " + said;
                v = new SliceVerdict(s.slice(), ok, reason, s.checks());
            }
            passed &= v.passed();
            slices.add(v);
        }
        return new Blessing(
                b.candidate(), b.baseline(), b.base(), b.config(), slices, notes, passed);
    }
}
