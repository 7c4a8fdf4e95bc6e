package eagle.scenes.experiment;

import eagle.core.eval.Bootstrap;
import eagle.scenes.suite.SuiteResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The promotion gate as the continual rounds apply it (docs/METHOD.md §7), read from a gate file in
 * the evaluator's format:
 *
 * <pre>
 * { "thresholds": [ { "metric": "zeroshot_cls", "direction": "higher"|"lower", "lower": …, "upper": …,
 *                     "changes": [ { "against": "baseline"|"base", "absolute": −0.01, "relative": …,
 *                                    "paired": true|false } ] } ] }
 * </pre>
 *
 * Scenes may not depend on the evaluator, so this is a small reading of the same rules, not the
 * evaluator's code: with v the candidate's value and r a reference's, a value bound passes iff
 * lower ≤ v ≤ upper; an absolute change passes iff v − r ≥ absolute (higher is better) or v − r ≤
 * absolute (lower is better); a relative change the same with (v − r)/r; a paired absolute change
 * passes iff the 95% bootstrap interval of the per-item difference (core's {@code
 * Bootstrap.pairedDifferenceCi}, with the candidate's suite's resamples and seed, as the evaluator
 * draws it) has its upper end ≥ absolute (higher is better) or its lower end ≤ absolute, and needs
 * both encoders' per-item outcomes. Fail closed: a missing or non-finite value, r = 0 under a
 * relative bound, missing or mismatched outcomes under a paired bound, or an unknown direction
 * fails its check. The candidate is blessed iff every check passes. The evaluator groups checks by
 * slice and records each; the verdict is the same (every check must pass).
 *
 * <p>{@link #defaults()} is {@code default-gate.json} beside this class, a copy of the evaluator's
 * {@code GateConfig.defaults()} (the gate the platform applies when no gate file is configured);
 * pass the evaluator's gate file with {@code --gate} when that default changes.
 */
public record RoundGate(String source, List<Threshold> thresholds) {

    /** A change bound against the baseline (the production encoder) or the original base. */
    public record Change(boolean againstBase, Double absolute, Double relative, boolean paired) {}

    /**
     * One encoder's scores: metric values by dotted path and, for the fraction metrics, whether
     * each suite item was right (what paired bounds compare), and the bootstrap options its suite
     * ran with (a paired bound on the candidate draws its interval with them, at 95%).
     */
    public record Scores(
            Map<String, Double> values,
            Map<String, boolean[]> outcomes,
            Bootstrap.Options bootstrap) {

        /** Scores drawn with the default bootstrap options. */
        public Scores(Map<String, Double> values, Map<String, boolean[]> outcomes) {
            this(values, outcomes, Bootstrap.Options.defaults());
        }

        /** Values only (a paired bound then fails). */
        public static Scores of(Map<String, Double> values) {
            return new Scores(values, Map.of());
        }

        public static Scores of(SuiteResult r) {
            return new Scores(r.metrics(), r.outcomes(), r.bootstrap());
        }
    }

    /**
     * @param higherIsBetter null when the file's direction was not understood (every check then
     *     fails)
     */
    public record Threshold(
            String metric,
            Boolean higherIsBetter,
            Double lower,
            Double upper,
            List<Change> changes) {}

    /** The verdict with one line per failed check (empty when blessed) and per passed one. */
    public record Verdict(boolean blessed, List<String> failures, List<String> passes) {}

    public RoundGate {
        thresholds = List.copyOf(thresholds);
        if (thresholds.isEmpty()) {
            throw new IllegalArgumentException(
                    "a gate needs at least one threshold (" + source + ")");
        }
    }

    /** The platform's default gate (see the class comment). */
    public static RoundGate defaults() {
        return RoundGateFile.defaults();
    }

    /** A gate file in the evaluator's format. */
    public static RoundGate read(Path file) throws IOException {
        return RoundGateFile.parse(Files.readString(file), file.toString());
    }

    /**
     * @throws IllegalArgumentException naming the malformed field
     */
    public static RoundGate parse(String json, String source) {
        return RoundGateFile.parse(json, source);
    }

    /** The gate on three suite results (baseline may be null: no production yet). */
    public Verdict evaluate(SuiteResult candidate, SuiteResult baseline, SuiteResult base) {
        return evaluate(
                Scores.of(candidate),
                baseline == null ? null : Scores.of(baseline),
                base == null ? null : Scores.of(base));
    }

    /**
     * @param candidate the candidate's scores
     * @param baseline the production encoder's, or null when there is none (its changes are then
     *     skipped)
     * @param base the original base encoder's
     */
    public Verdict evaluate(Scores candidate, Scores baseline, Scores base) {
        List<String> failures = new ArrayList<>();
        List<String> passes = new ArrayList<>();
        for (Threshold t : thresholds) {
            Double raw = candidate.values().get(t.metric());
            boolean present = raw != null && Double.isFinite(raw);
            if (t.higherIsBetter() == null) {
                failures.add(t.metric() + ": unknown direction");
                continue;
            }
            if (!present) {
                failures.add(t.metric() + ": missing or not finite (" + raw + ")");
                continue;
            }
            double v = raw;
            if (t.lower() != null) {
                record(
                        v >= t.lower(),
                        fmt("%s = %.4f, lower bound %s", t.metric(), v, t.lower()),
                        failures,
                        passes);
            }
            if (t.upper() != null) {
                record(
                        v <= t.upper(),
                        fmt("%s = %.4f, upper bound %s", t.metric(), v, t.upper()),
                        failures,
                        passes);
            }
            for (Change c : t.changes()) {
                Scores ref = c.againstBase() ? base : baseline;
                if (ref == null) {
                    continue;
                }
                String refName = c.againstBase() ? "base" : "baseline";
                Double r = ref.values().get(t.metric());
                if (r == null || !Double.isFinite(r)) {
                    failures.add(
                            t.metric()
                                    + ": the "
                                    + refName
                                    + " value is missing or not finite ("
                                    + r
                                    + ")");
                    continue;
                }
                if (c.paired()) {
                    paired(t, c, candidate, ref, refName, v - r, failures, passes);
                    continue;
                }
                if (c.absolute() != null) {
                    double diff = v - r;
                    boolean ok = t.higherIsBetter() ? diff >= c.absolute() : diff <= c.absolute();
                    record(
                            ok,
                            fmt(
                                    "%s: %.4f − %s %.4f = %+.4f, %s %s",
                                    t.metric(),
                                    v,
                                    refName,
                                    r,
                                    diff,
                                    t.higherIsBetter() ? "≥" : "≤",
                                    c.absolute()),
                            failures,
                            passes);
                }
                if (c.relative() != null) {
                    if (r == 0.0) {
                        failures.add(
                                t.metric()
                                        + ": the "
                                        + refName
                                        + " value is 0, a relative change is undefined");
                        continue;
                    }
                    double rel = (v - r) / r;
                    boolean ok = t.higherIsBetter() ? rel >= c.relative() : rel <= c.relative();
                    record(
                            ok,
                            fmt(
                                    "%s: relative change vs %s %+.4f, %s %s",
                                    t.metric(),
                                    refName,
                                    rel,
                                    t.higherIsBetter() ? "≥" : "≤",
                                    c.relative()),
                            failures,
                            passes);
                }
            }
        }
        return new Verdict(failures.isEmpty(), List.copyOf(failures), List.copyOf(passes));
    }

    private static void paired(
            Threshold t,
            Change c,
            Scores candidate,
            Scores ref,
            String refName,
            double diff,
            List<String> failures,
            List<String> passes) {
        boolean[] a = candidate.outcomes().get(t.metric());
        boolean[] b = ref.outcomes().get(t.metric());
        if (a == null || b == null) {
            failures.add(
                    t.metric()
                            + ": a paired bound needs per-item outcomes; the "
                            + (a == null ? "candidate" : refName)
                            + " has none");
            return;
        }
        if (a.length != b.length) {
            failures.add(
                    fmt(
                            "%s: %d outcomes against the %s's %d: not the same suite items",
                            t.metric(), a.length, refName, b.length));
            return;
        }
        Bootstrap.Interval iv =
                Bootstrap.pairedDifferenceCi(a, b, candidate.bootstrap().withLevel(0.95));
        double end = t.higherIsBetter() ? iv.upper() : iv.lower();
        record(
                t.higherIsBetter() ? end >= c.absolute() : end <= c.absolute(),
                fmt(
                        "%s: paired diff vs %s %+.4f over %d items, 95%% interval [%+.4f, %+.4f],"
                                + " needs its %s end %s %s",
                        t.metric(),
                        refName,
                        diff,
                        a.length,
                        iv.lower(),
                        iv.upper(),
                        t.higherIsBetter() ? "upper" : "lower",
                        t.higherIsBetter() ? "≥" : "≤",
                        c.absolute()),
                failures,
                passes);
    }

    private static void record(
            boolean ok, String line, List<String> failures, List<String> passes) {
        (ok ? passes : failures).add(line);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
