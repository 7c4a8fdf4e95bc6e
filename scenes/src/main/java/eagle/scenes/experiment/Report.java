package eagle.scenes.experiment;

import static eagle.scenes.experiment.Svg.esc;
import static eagle.scenes.experiment.Svg.fmt;
import static eagle.scenes.experiment.Svg.line;
import static eagle.scenes.experiment.Svg.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.train.StepLosses;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The experiment's HTML report (inline SVG drawn by hand in {@link Svg}, no scripts) and its
 * terminal summary: the metrics with their intervals, the goals, the trade-off fronts across arms
 * (CLS against Seq, CLS against POPE-adversarial FPR), the metrics side by side and the loss
 * curves.
 */
final class Report {

    private static final String[] COLOURS = Svg.COLOURS;
    private static final List<String> SHOWN =
            List.of(
                    "zeroshot_cls",
                    "zeroshot_seq",
                    "pope.random.fpr",
                    "pope.popular.fpr",
                    "pope.adversarial.fpr",
                    "pope.adversarial.f1",
                    "mmvp.pair_accuracy");

    private Report() {}

    static String summary(Experiment.Result result) {
        Map<String, Map<String, Double>> table = ExperimentMetrics.table(result);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-22s", "metric"));
        table.keySet().forEach(k -> sb.append(String.format("%14s", k)));
        sb.append('\n');
        List<String> rows = new ArrayList<>(SHOWN);
        table.get("base").keySet().stream().filter(Report::isHeldOutFigure).forEach(rows::add);
        for (String m : rows) {
            sb.append(String.format("%-22s", m));
            table.values().forEach(v -> sb.append(String.format(Locale.ROOT, "%14.3f", v.get(m))));
            sb.append('\n');
        }
        if (table.containsKey("eagle_galore")) {
            sb.append("\ngoals for eagle_galore against base:\n");
            for (Goals.Goal g : Goals.of(result)) {
                sb.append(
                        String.format(
                                "  [%s] %s: %s%n",
                                g.met() ? "met" : "MISSED", g.text(), g.measured()));
            }
        }
        return sb.toString();
    }

    static String html(Experiment.Result result, ObjectNode metrics) {
        Map<String, Map<String, Double>> table = ExperimentMetrics.table(result);
        StringBuilder h = new StringBuilder();
        h.append(
                        "<!doctype html><html><head><meta charset=\"utf-8\"><title>EAGLE experiment</title><style>")
                .append(
                        "body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}")
                .append(
                        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child")
                .append(
                        "{text-align:left}.met{color:#2a7a2a}.missed{color:#b22}</style></head><body>")
                .append("<h1>EAGLE experiment</h1><p>suite <code>")
                .append(esc(result.suite().id()))
                .append("</code>, arguments <code>")
                .append(esc(metrics.path("run").path("arguments").asText()))
                .append("</code>, ")
                .append(fmt("%.0f", metrics.path("run").path("seconds").asDouble()))
                .append(" s on ")
                .append(metrics.path("run").path("processors").asInt())
                .append(" processors</p>");

        h.append("<h2>Metrics</h2><table><tr><th>metric</th>");
        table.keySet().forEach(k -> h.append("<th>").append(esc(k)).append("</th>"));
        h.append("</tr>");
        List<String> rows = new ArrayList<>(result.base().metrics().keySet());
        table.get("base").keySet().stream().filter(Report::isHeldOutFigure).forEach(rows::add);
        for (String m : rows) {
            h.append("<tr><td>").append(esc(m)).append("</td>");
            for (Map.Entry<String, Map<String, Double>> e : table.entrySet()) {
                h.append("<td>").append(fmt("%.3f", e.getValue().get(m)));
                var ci = ciOf(e.getKey(), result, m);
                if (ci != null) {
                    h.append(" <small>[").append(ci).append("]</small>");
                }
                h.append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");

        if (table.containsKey("eagle_galore")) {
            h.append("<h2>Goals (eagle_galore against base)</h2><ul>");
            for (Goals.Goal g : Goals.of(result)) {
                h.append("<li class=\"")
                        .append(g.met() ? "met" : "missed")
                        .append("\">")
                        .append(g.met() ? "met" : "missed")
                        .append(": ")
                        .append(esc(g.text()))
                        .append(" (")
                        .append(esc(g.measured()))
                        .append(")</li>");
            }
            h.append("</ul>");
        }

        h.append(
                        "<h2>Trade-off front across arms</h2><p>Each point is an arm (or the base); the dashed line joins"
                                + " the Pareto front, the points no other point beats on both axes (circled).</p>")
                .append(front(table, "zeroshot_seq", "Seq zero-shot", true))
                .append(front(table, "pope.adversarial.fpr", "POPE adversarial FPR", false));
        h.append("<h2>Metrics side by side</h2>").append(bars(table));
        h.append("<h2>Training loss</h2>").append(lossCurves(result.arms()));
        h.append("</body></html>\n");
        return h.toString();
    }

    /** CLS zero-shot (x) against {@code metric} (y) for the base and every arm. */
    static String front(
            Map<String, Map<String, Double>> table,
            String metric,
            String label,
            boolean higherBetter) {
        List<Svg.Point> points = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Map<String, Double>> e : table.entrySet()) {
            points.add(
                    new Svg.Point(
                            e.getKey(),
                            e.getValue().get("zeroshot_cls"),
                            e.getValue().get(metric),
                            e.getKey().equals("base") ? "#000" : COLOURS[i % COLOURS.length]));
            i++;
        }
        return Svg.scatterWithFront(points, "CLS zero-shot", true, label, higherBetter);
    }

    /** The zero-shot figures over held-out and trained classes ({@link HeldOutClasses#figures}). */
    private static boolean isHeldOutFigure(String metric) {
        return metric.startsWith(HeldOutClasses.HELD_OUT + ".")
                || metric.startsWith(HeldOutClasses.TRAINED + ".");
    }

    private static String ciOf(String who, Experiment.Result result, String metric) {
        var r =
                who.equals("base")
                        ? result.base()
                        : result.arms().stream()
                                .filter(a -> a.arm().name().equals(who))
                                .findFirst()
                                .get()
                                .metrics();
        var iv = r.ci().get(metric);
        if (iv == null && isHeldOutFigure(metric)) {
            var figure = result.heldOutFigures().get(who).get(metric);
            iv = figure == null ? null : figure.ci();
        }
        return iv == null ? null : fmt("%.3f", iv.lower()) + ", " + fmt("%.3f", iv.upper());
    }

    private static String bars(Map<String, Map<String, Double>> table) {
        int groupWidth = 30 + 22 * table.size();
        int width = 60 + groupWidth * SHOWN.size();
        int height = 260;
        int plot = 180;
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height + 20)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">");
        for (int tick = 0; tick <= 4; tick++) {
            double y = 20 + plot - plot * tick / 4.0;
            s.append(line(50, y, width, y, "#eee"))
                    .append(text(45, y + 4, fmt("%.2f", tick / 4.0), "end"));
        }
        for (int g = 0; g < SHOWN.size(); g++) {
            String metric = SHOWN.get(g);
            int x0 = 60 + g * groupWidth;
            int i = 0;
            for (Map.Entry<String, Map<String, Double>> e : table.entrySet()) {
                double v = e.getValue().get(metric);
                double bh = Double.isNaN(v) ? 0 : plot * Math.max(0, Math.min(1, v));
                s.append(
                        String.format(
                                Locale.ROOT,
                                "<rect x=\"%d\" y=\"%.1f\" width=\"20\" height=\"%.1f\" fill=\"%s\"><title>%s %s %.3f</title></rect>",
                                x0 + 22 * i,
                                20 + plot - bh,
                                bh,
                                COLOURS[i % COLOURS.length],
                                esc(e.getKey()),
                                metric,
                                v));
                i++;
            }
            s.append(
                    text(
                            x0 + 11 * table.size(),
                            20 + plot + 16,
                            metric.replace("pope.", ""),
                            "middle"));
        }
        int i = 0;
        for (String name : table.keySet()) {
            s.append(
                            String.format(
                                    Locale.ROOT,
                                    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>",
                                    60 + 130 * i,
                                    height,
                                    COLOURS[i % COLOURS.length]))
                    .append(text(74 + 130 * i, height + 9, name, "start"));
            i++;
        }
        return s.append("</svg>").toString();
    }

    private static String lossCurves(List<Experiment.ArmResult> arms) {
        int width = 760;
        int height = 300;
        double max =
                arms.stream()
                        .flatMap(a -> a.losses().stream())
                        .mapToDouble(StepLosses::total)
                        .max()
                        .orElse(1);
        int steps = arms.stream().mapToInt(a -> a.losses().size()).max().orElse(1);
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height + 30)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">");
        for (int tick = 0; tick <= 4; tick++) {
            double y = 10 + height - height * tick / 4.0;
            s.append(line(50, y, width, y, "#eee"))
                    .append(text(45, y + 4, fmt("%.2f", max * tick / 4), "end"));
        }
        int i = 0;
        for (Experiment.ArmResult arm : arms) {
            StringBuilder points = new StringBuilder();
            List<StepLosses> losses = arm.losses();
            double smoothed = losses.get(0).total();
            for (int k = 0; k < losses.size(); k++) {
                smoothed = 0.9 * smoothed + 0.1 * losses.get(k).total();
                double x = 50 + (width - 60) * (k + 1.0) / steps;
                double y = 10 + height - height * smoothed / max;
                points.append(fmt("%.1f,%.1f ", x, y));
            }
            s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
                    .append(COLOURS[i % COLOURS.length])
                    .append("\" points=\"")
                    .append(points)
                    .append("\"/>")
                    .append(
                            text(
                                    60 + 140 * i,
                                    height + 28,
                                    arm.arm().name() + " (total, EMA 0.9)",
                                    "start"));
            i++;
        }
        s.append(text(width - 5, height + 14, "step " + steps, "end"));
        return s.append("</svg>").toString();
    }
}
