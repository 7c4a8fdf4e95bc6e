package eagle.evaluator.report;

import eagle.core.eval.Bootstrap;
import eagle.evaluator.gate.Blessing;
import eagle.evaluator.gate.Check;
import eagle.evaluator.gate.MetricSet;
import eagle.evaluator.gate.SliceVerdict;
import eagle.scenes.suite.SuiteResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The human-readable report of one evaluation: one self-contained HTML page with the verdict, the
 * metrics of candidate, baseline and base side by side (with 95 % bootstrap intervals), one bar
 * chart (inline SVG) per metric family (zero-shot, each POPE split, MMVP) and the verdict of every
 * threshold check.
 */
public final class EvaluationReport {

    /** What the page shows; baseline/base results may be null. */
    public record Input(
            String model,
            int version,
            String suiteId,
            Blessing blessing,
            SuiteResult candidate,
            SuiteResult baseline,
            SuiteResult base,
            String rejection,
            String title,
            SuiteFacts suite) {}

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#7f7f7f"};

    private EvaluationReport() {}

    public static String html(Input in) {
        StringBuilder h = new StringBuilder(16_384);
        Blessing b = in.blessing();
        boolean passed = b != null && b.passed();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(in.model() + " v" + in.version() + " evaluation"))
                .append("</title><style>")
                .append(
                        "body{font-family:sans-serif;margin:2em;max-width:72em}table{border-collapse:collapse;margin:1em 0}")
                .append(
                        "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}th{background:#f4f4f4}")
                .append(
                        "td.l,th.l{text-align:left}.pass{color:#060;font-weight:bold}.fail{color:#b00;font-weight:bold}")
                .append("</style></head><body>");
        h.append("<h1>")
                .append(esc(in.title() == null ? "Evaluation" : in.title()))
                .append(": ")
                .append(esc(in.model()))
                .append(" v")
                .append(in.version())
                .append("</h1>");
        h.append("<p>Verdict: <span class=\"")
                .append(passed ? "pass\">BLESSED" : "fail\">NOT BLESSED")
                .append("</span> &middot; suite <code>")
                .append(esc(in.suiteId()))
                .append("</code></p>");
        if (in.rejection() != null) {
            h.append("<p class=\"fail\">Rejected: ")
                    .append(esc(in.rejection()))
                    .append("</p></body></html>");
            return h.toString();
        }
        h.append("<p>Candidate v")
                .append(in.version())
                .append(" sha256 <code>")
                .append(esc(b.candidate().sha256()))
                .append("</code><br>Baseline: ")
                .append(
                        b.baseline() == null
                                ? "none (production pointed at no version)"
                                : "v"
                                        + b.baseline().version()
                                        + " <code>"
                                        + esc(b.baseline().sha256())
                                        + "</code>")
                .append("<br>Base: ")
                .append(
                        b.base() == null
                                ? "none"
                                : (b.base().version() == null ? "" : "v" + b.base().version() + " ")
                                        + "<code>"
                                        + esc(b.base().sha256())
                                        + "</code>")
                .append("</p>");
        for (String note : b.notes()) {
            h.append("<p><em>").append(esc(note)).append("</em></p>");
        }

        h.append(
                "<h2>Slices</h2><table><tr><th class=l>slice</th><th class=l>verdict</th><th class=l>reason</th></tr>");
        for (SliceVerdict s : b.slices()) {
            h.append("<tr><td class=l>")
                    .append(esc(s.slice()))
                    .append("</td><td class=l>")
                    .append(verdict(s.passed()))
                    .append("</td><td class=l>")
                    .append(esc(s.reason() == null ? "" : s.reason()))
                    .append("</td></tr>");
        }
        h.append("</table>");

        h.append(
                        "<h2>Threshold checks</h2><table><tr><th class=l>metric</th><th class=l>check</th>")
                .append(
                        "<th class=l>against</th><th>threshold</th><th>candidate</th><th>reference</th>")
                .append("<th>observed</th><th class=l>verdict</th><th class=l>what</th></tr>");
        for (Check c : b.checks()) {
            h.append("<tr><td class=l>")
                    .append(esc(c.metric()))
                    .append("</td><td class=l>")
                    .append(c.kind())
                    .append("</td><td class=l>")
                    .append(
                            c.against() == null
                                    ? ""
                                    : c.against().name().toLowerCase()
                                            + (c.referenceVersion() == null
                                                    ? ""
                                                    : " v" + c.referenceVersion()))
                    .append("</td><td>")
                    .append(num(c.threshold()))
                    .append("</td><td>")
                    .append(num(c.candidate()))
                    .append("</td><td>")
                    .append(num(c.reference()))
                    .append("</td><td>")
                    .append(num(c.observed()))
                    .append("</td><td class=l>")
                    .append(verdict(c.passed()))
                    .append("</td><td class=l>")
                    .append(esc(c.reason() == null ? "" : c.reason()))
                    .append("</td></tr>");
        }
        h.append("</table>");

        h.append(in.suite() == null ? "" : in.suite().html());
        Map<String, List<String>> families = families(b);
        h.append("<h2>Metrics</h2>");
        for (Map.Entry<String, List<String>> f : families.entrySet()) {
            h.append("<h3>").append(esc(f.getKey())).append("</h3>");
            h.append(chart(f.getValue(), b, in));
            h.append(
                            "<table><tr><th class=l>metric</th><th>candidate</th><th>95% CI</th><th>baseline</th>")
                    .append("<th>95% CI</th><th>base</th><th>95% CI</th></tr>");
            for (String m : f.getValue()) {
                h.append("<tr><td class=l>")
                        .append(esc(m))
                        .append("</td>")
                        .append(cell(b.candidate(), in.candidate(), m))
                        .append(cell(b.baseline(), in.baseline(), m))
                        .append(cell(b.base(), in.base(), m))
                        .append("</tr>");
            }
            h.append("</table>");
        }
        h.append("</body></html>");
        return h.toString();
    }

    /**
     * Metric families: the part before the last dot ("pope.adversarial"), or "zeroshot" for
     * zeroshot_*.
     */
    static Map<String, List<String>> families(Blessing b) {
        Set<String> names = new LinkedHashSet<>(b.candidate().values().keySet());
        if (b.baseline() != null) {
            names.addAll(b.baseline().values().keySet());
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String m : names) {
            String fam =
                    m.startsWith("zeroshot_")
                            ? "zeroshot"
                            : m.contains(".") ? m.substring(0, m.lastIndexOf('.')) : m;
            out.computeIfAbsent(fam, k -> new ArrayList<>()).add(m);
        }
        return out;
    }

    private static String chart(List<String> metrics, Blessing b, Input in) {
        MetricSet[] sets = {b.candidate(), b.baseline(), b.base()};
        String[] labels = {"candidate", "baseline", "base"};
        int groupW = 90;
        int barW = 24;
        int height = 160;
        int width = 60 + metrics.size() * groupW;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width + 140)
                .append("\" height=\"")
                .append(height + 50)
                .append("\" role=\"img\">");
        for (int t = 0; t <= 4; t++) {
            double y = 10 + height * (1 - t / 4.0);
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"40\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                                    + "<text x=\"36\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.2f</text>",
                            width,
                            y,
                            y,
                            y + 3,
                            t / 4.0));
        }
        for (int i = 0; i < metrics.size(); i++) {
            String m = metrics.get(i);
            for (int k = 0; k < 3; k++) {
                if (sets[k] == null || sets[k].values().get(m) == null) {
                    continue;
                }
                double v = sets[k].values().get(m);
                if (!Double.isFinite(v)) {
                    continue;
                }
                double clamped = Math.max(0, Math.min(1, v));
                double x = 45 + i * groupW + k * barW;
                double y = 10 + height * (1 - clamped);
                s.append(
                        String.format(
                                Locale.ROOT,
                                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
                                        + "fill=\"%s\"><title>%s %s = %.4f</title></rect>",
                                x,
                                y,
                                barW - 2,
                                height * clamped,
                                COLOURS[k],
                                labels[k],
                                esc(m),
                                v));
            }
            String shortName = m.contains(".") ? m.substring(m.lastIndexOf('.') + 1) : m;
            s.append("<text x=\"")
                    .append(45 + i * groupW + 36)
                    .append("\" y=\"")
                    .append(height + 25)
                    .append("\" font-size=\"11\" text-anchor=\"middle\">")
                    .append(esc(shortName))
                    .append("</text>");
        }
        for (int k = 0; k < 3; k++) {
            s.append("<rect x=\"")
                    .append(width + 15)
                    .append("\" y=\"")
                    .append(15 + 18 * k)
                    .append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(COLOURS[k])
                    .append("\"/><text x=\"")
                    .append(width + 32)
                    .append("\" y=\"")
                    .append(25 + 18 * k)
                    .append("\" font-size=\"11\">")
                    .append(labels[k])
                    .append("</text>");
        }
        return s.append("</svg>").toString();
    }

    private static String cell(MetricSet set, SuiteResult r, String m) {
        if (set == null) {
            return "<td>&ndash;</td><td>&ndash;</td>";
        }
        Double v = set.values().get(m);
        Bootstrap.Interval iv = r == null ? null : r.ci().get(m);
        return "<td>"
                + num(v)
                + "</td><td>"
                + (iv == null
                        ? "&ndash;"
                        : String.format(Locale.ROOT, "[%.4f, %.4f]", iv.lower(), iv.upper()))
                + "</td>";
    }

    private static String verdict(boolean passed) {
        return passed ? "<span class=\"pass\">pass</span>" : "<span class=\"fail\">FAIL</span>";
    }

    private static String num(Double v) {
        return v == null ? "" : Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
