package eagle.evaluator.gate;

import eagle.core.eval.Bootstrap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The promotion gate (docs/METHOD.md §7), with TFX/TFMA semantics rather than MLflow's.
 *
 * <p>For every configured {@link MetricThreshold} of metric m in slice s, with v_c the candidate's
 * value and v_r a reference's (the baseline, i.e. what {@code production} points at, or the
 * original base encoder):
 *
 * <ul>
 *   <li>PRESENT: v_c exists and is finite;
 *   <li>value: lower ≤ v_c ≤ upper (each bound optional, inclusive);
 *   <li>absolute change, diff = v_c − v_r: higher-is-better passes iff diff ≥ absolute,
 *       lower-is-better iff diff ≤ absolute (absolute may be negative: "no worse than ε");
 *   <li>relative change, rel = (v_c − v_r)/v_r, compared the same way;
 *   <li>paired change: the 95% interval of the per-item difference reaches the absolute bound
 *       ({@link PairedCheck}).
 * </ul>
 *
 * Fail closed: a missing metric, a NaN or infinite value (candidate or reference), v_r = 0 under a
 * relative threshold and an unknown direction each fail their check. A slice passes iff it has a
 * check and every check passed; the candidate is blessed iff every slice passed. When a reference
 * encoder is absent (no baseline yet), its change thresholds are not applied, and a note in the
 * blessing says so.
 */
public final class PromotionGate {

    private PromotionGate() {}

    /**
     * @param config thresholds
     * @param candidate the candidate's metrics
     * @param baseline the baseline's metrics, or null when there is no baseline
     * @param base the base encoder's metrics, or null when there is none
     */
    public static Blessing evaluate(
            GateConfig config, MetricSet candidate, MetricSet baseline, MetricSet base) {
        return evaluate(config, candidate, baseline, base, Bootstrap.Options.defaults());
    }

    /**
     * As {@link #evaluate(GateConfig, MetricSet, MetricSet, MetricSet)}, with the bootstrap options
     * of the paired checks (the suite's: its resamples and seed, at 95%).
     */
    public static Blessing evaluate(
            GateConfig config,
            MetricSet candidate,
            MetricSet baseline,
            MetricSet base,
            Bootstrap.Options paired) {
        Map<String, List<Check>> bySlice = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        boolean baselineNoted = false;
        boolean baseNoted = false;
        for (MetricThreshold t : config.thresholds()) {
            List<Check> checks = bySlice.computeIfAbsent(t.slice(), k -> new ArrayList<>());
            Double raw = candidate.values().get(t.metric());
            double v = raw == null ? Double.NaN : raw;
            if (t.direction() == null) {
                checks.add(
                        new Check(
                                t.metric(),
                                t.slice(),
                                Check.Kind.CONFIG,
                                null,
                                null,
                                null,
                                v,
                                null,
                                Double.NaN,
                                false,
                                t.metric()
                                        + ": unknown direction (expected HIGHER_IS_BETTER or LOWER_IS_BETTER)"));
            }
            boolean present = raw != null && Double.isFinite(raw);
            checks.add(
                    new Check(
                            t.metric(),
                            t.slice(),
                            Check.Kind.PRESENT,
                            null,
                            null,
                            null,
                            v,
                            null,
                            v,
                            present,
                            raw == null
                                    ? t.metric() + ": missing from the candidate's results"
                                    : present
                                            ? t.metric() + " = " + raw
                                            : t.metric() + ": not a finite number (" + raw + ")"));
            if (t.lower() != null) {
                boolean ok = present && v >= t.lower();
                checks.add(
                        new Check(
                                t.metric(),
                                t.slice(),
                                Check.Kind.VALUE_LOWER,
                                null,
                                null,
                                t.lower(),
                                v,
                                null,
                                v,
                                ok,
                                String.format(
                                        "%s = %s %s lower bound %s",
                                        t.metric(), v, ok ? "≥" : "not ≥", t.lower())));
            }
            if (t.upper() != null) {
                boolean ok = present && v <= t.upper();
                checks.add(
                        new Check(
                                t.metric(),
                                t.slice(),
                                Check.Kind.VALUE_UPPER,
                                null,
                                null,
                                t.upper(),
                                v,
                                null,
                                v,
                                ok,
                                String.format(
                                        "%s = %s %s upper bound %s",
                                        t.metric(), v, ok ? "≤" : "not ≤", t.upper())));
            }
            for (ChangeThreshold c : t.changes()) {
                MetricSet ref = c.against() == Reference.BASELINE ? baseline : base;
                if (ref == null) {
                    if (c.against() == Reference.BASELINE && !baselineNoted) {
                        notes.add(
                                "no baseline (production points at no version): change thresholds against the"
                                        + " baseline were not applied; only value thresholds and those against the base were");
                        baselineNoted = true;
                    } else if (c.against() == Reference.BASE && !baseNoted) {
                        notes.add(
                                "no base encoder: change thresholds against the base were not applied");
                        baseNoted = true;
                    }
                    continue;
                }
                Double refRaw = ref.values().get(t.metric());
                double r = refRaw == null ? Double.NaN : refRaw;
                String refName =
                        c.against().name().toLowerCase()
                                + (ref.version() == null ? "" : " v" + ref.version());
                String refProblem =
                        refRaw == null
                                ? t.metric() + ": missing from the " + refName + " results"
                                : !Double.isFinite(r)
                                        ? t.metric()
                                                + ": the "
                                                + refName
                                                + " value is not finite ("
                                                + r
                                                + ")"
                                        : null;
                if (c.paired()) {
                    checks.add(
                            PairedCheck.of(
                                    t,
                                    c,
                                    candidate,
                                    ref,
                                    v,
                                    r,
                                    paired,
                                    present
                                            ? refProblem
                                            : t.metric() + ": candidate value not usable"));
                    continue;
                }
                if (c.absolute() != null) {
                    double diff = v - r;
                    checks.add(
                            changeCheck(
                                    t,
                                    c,
                                    ref,
                                    Check.Kind.ABSOLUTE_CHANGE,
                                    c.absolute(),
                                    v,
                                    r,
                                    diff,
                                    present
                                            ? refProblem
                                            : t.metric() + ": candidate value not usable",
                                    "diff"));
                }
                if (c.relative() != null) {
                    String problem =
                            present ? refProblem : t.metric() + ": candidate value not usable";
                    if (problem == null && r == 0.0) {
                        problem =
                                t.metric()
                                        + ": the "
                                        + refName
                                        + " value is 0, a relative change is undefined";
                    }
                    double rel = problem == null ? (v - r) / r : Double.NaN;
                    checks.add(
                            changeCheck(
                                    t,
                                    c,
                                    ref,
                                    Check.Kind.RELATIVE_CHANGE,
                                    c.relative(),
                                    v,
                                    r,
                                    rel,
                                    problem,
                                    "rel"));
                }
            }
        }
        List<SliceVerdict> slices = new ArrayList<>();
        boolean all = true;
        for (Map.Entry<String, List<Check>> e : bySlice.entrySet()) {
            String reason =
                    e.getValue().stream()
                            .filter(c -> !c.passed())
                            .map(Check::reason)
                            .findFirst()
                            .orElse(null);
            boolean passed = !e.getValue().isEmpty() && reason == null;
            slices.add(
                    new SliceVerdict(
                            e.getKey(),
                            passed,
                            passed ? null : reason == null ? "no checks" : reason,
                            e.getValue()));
            all &= passed;
        }
        return new Blessing(
                candidate, baseline, base, config, slices, notes, all && !slices.isEmpty());
    }

    private static Check changeCheck(
            MetricThreshold t,
            ChangeThreshold c,
            MetricSet ref,
            Check.Kind kind,
            double bound,
            double v,
            double r,
            double observed,
            String problem,
            String what) {
        String refName =
                c.against().name().toLowerCase()
                        + (ref.version() == null ? "" : " v" + ref.version());
        if (problem != null || t.direction() == null) {
            return new Check(
                    t.metric(),
                    t.slice(),
                    kind,
                    c.against(),
                    ref.version(),
                    bound,
                    v,
                    r,
                    Double.NaN,
                    false,
                    problem != null ? problem : t.metric() + ": unknown direction");
        }
        boolean higher = t.direction() == Direction.HIGHER_IS_BETTER;
        boolean ok = Double.isFinite(observed) && (higher ? observed >= bound : observed <= bound);
        String reason =
                String.format(
                                Locale.ROOT,
                                "%s: %s vs %s = %+.4f, %s %s %s",
                                t.metric(),
                                what,
                                refName,
                                observed,
                                ok ? (higher ? "≥" : "≤") : (higher ? "not ≥" : "not ≤"),
                                bound,
                                ok
                                        ? ""
                                        : String.format(
                                                Locale.ROOT,
                                                "(candidate %.4f, %s %.4f)",
                                                v,
                                                refName,
                                                r))
                        .trim();
        return new Check(
                t.metric(),
                t.slice(),
                kind,
                c.against(),
                ref.version(),
                bound,
                v,
                r,
                observed,
                ok,
                reason);
    }
}
