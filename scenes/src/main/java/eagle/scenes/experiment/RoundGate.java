package eagle.scenes.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 *                     "changes": [ { "against": "baseline"|"base", "absolute": −0.01, "relative": … } ] } ] }
 * </pre>
 *
 * Scenes may not depend on the evaluator, so this is a small reading of the same rules, not the
 * evaluator's code: with v the candidate's value and r a reference's, a value bound passes iff
 * lower ≤ v ≤ upper; an absolute change passes iff v − r ≥ absolute (higher is better) or v − r ≤
 * absolute (lower is better); a relative change the same with (v − r)/r. Fail closed: a missing or
 * non-finite value, r = 0 under a relative bound, or an unknown direction fails its check. The
 * candidate is blessed iff every check passes. The evaluator groups checks by slice and records
 * each; the verdict is the same (every check must pass).
 *
 * <p>{@link #defaults()} is {@code default-gate.json} beside this class, a copy of the evaluator's
 * {@code GateConfig.defaults()} (the gate the platform applies when no gate file is configured);
 * pass the evaluator's gate file with {@code --gate} when that default changes.
 */
public record RoundGate(String source, List<Threshold> thresholds) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DEFAULT_RESOURCE = "default-gate.json";

    /** A change bound against the baseline (the production encoder) or the original base. */
    public record Change(boolean againstBase, Double absolute, Double relative) {}

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
        try (InputStream in = RoundGate.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        DEFAULT_RESOURCE + " is missing from the scenes jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default gate");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }

    public static RoundGate read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /**
     * @throws IllegalArgumentException naming the malformed field
     */
    public static RoundGate parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not JSON: " + e.getMessage(), e);
        }
        JsonNode arr = root == null ? null : root.get("thresholds");
        if (arr == null || !arr.isArray()) {
            throw new IllegalArgumentException(source + " needs an array 'thresholds'");
        }
        List<Threshold> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode t = arr.get(i);
            String at = source + " thresholds[" + i + "]";
            if (!t.path("metric").isTextual()) {
                throw new IllegalArgumentException(at + ".metric is required (a string)");
            }
            Boolean higher =
                    switch (t.path("direction").asText("").trim().toUpperCase(Locale.ROOT)) {
                        case "HIGHER", "HIGHER_IS_BETTER" -> true;
                        case "LOWER", "LOWER_IS_BETTER" -> false;
                        default -> null;
                    };
            List<Change> changes = new ArrayList<>();
            for (JsonNode c : t.path("changes")) {
                String against = c.path("against").asText("").toLowerCase(Locale.ROOT);
                if (!against.equals("baseline") && !against.equals("base")) {
                    throw new IllegalArgumentException(
                            at
                                    + ".changes: against must be baseline or base, got '"
                                    + against
                                    + "'");
                }
                Double absolute = number(c, "absolute", at);
                Double relative = number(c, "relative", at);
                if (absolute == null && relative == null) {
                    throw new IllegalArgumentException(
                            at + ".changes: needs an absolute or a relative bound");
                }
                changes.add(new Change(against.equals("base"), absolute, relative));
            }
            out.add(
                    new Threshold(
                            t.get("metric").asText(),
                            higher,
                            number(t, "lower", at),
                            number(t, "upper", at),
                            List.copyOf(changes)));
        }
        return new RoundGate(source, out);
    }

    private static Double number(JsonNode n, String field, String at) {
        if (!n.hasNonNull(field)) {
            return null;
        }
        if (!n.get(field).isNumber()) {
            throw new IllegalArgumentException(
                    at + "." + field + " must be a number, got " + n.get(field));
        }
        return n.get(field).asDouble();
    }

    /**
     * @param candidate the candidate's metrics by dotted path
     * @param baseline the production encoder's, or null when there is none (its changes are then
     *     skipped)
     * @param base the original base encoder's
     */
    public Verdict evaluate(
            Map<String, Double> candidate, Map<String, Double> baseline, Map<String, Double> base) {
        List<String> failures = new ArrayList<>();
        List<String> passes = new ArrayList<>();
        for (Threshold t : thresholds) {
            Double raw = candidate.get(t.metric());
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
                Map<String, Double> ref = c.againstBase() ? base : baseline;
                if (ref == null) {
                    continue;
                }
                String refName = c.againstBase() ? "base" : "baseline";
                Double r = ref.get(t.metric());
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

    private static void record(
            boolean ok, String line, List<String> failures, List<String> passes) {
        (ok ? passes : failures).add(line);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
