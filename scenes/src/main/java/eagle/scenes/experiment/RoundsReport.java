package eagle.scenes.experiment;

import static eagle.scenes.experiment.Svg.esc;
import static eagle.scenes.experiment.Svg.fmt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The continual rounds' HTML report (inline SVG drawn by hand in {@link Svg}, like the
 * experiment's): the rounds with their verdicts, every metric per round (candidate, production,
 * base) and the drift from the base.
 */
final class RoundsReport {

    private static final List<String> HEADLINE =
            List.of(
                    "zeroshot_cls",
                    "zeroshot_seq",
                    "pope.adversarial.fpr",
                    "pope.adversarial.f1",
                    "mmvp.pair_accuracy");

    private RoundsReport() {}

    static String html(ContinualRounds.Result result, ObjectNode json) {
        Map<String, Double> base = result.base().metrics();
        List<ContinualRounds.Round> rounds = result.rounds();
        StringBuilder h = new StringBuilder();
        h.append(
                        "<!doctype html><html><head><meta charset=\"utf-8\"><title>EAGLE continual rounds</title><style>")
                .append(
                        "body{font-family:sans-serif;margin:2em;max-width:1150px}table{border-collapse:collapse}")
                .append(
                        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child")
                .append(
                        "{text-align:left}.met{color:#2a7a2a}.missed{color:#b22}.charts svg{margin:4px}")
                .append("</style></head><body>")
                .append("<h1>EAGLE continual rounds</h1><p>suite <code>")
                .append(esc(result.suite().id()))
                .append("</code>, arm <code>")
                .append(esc(result.arm().name()))
                .append("</code>, ")
                .append(rounds.size())
                .append(" rounds of ")
                .append(result.imagesPerRound())
                .append(" fresh scenes, replay buffer ")
                .append(result.bufferCapacity())
                .append(", gate <code>")
                .append(esc(result.gate().source()))
                .append("</code>, arguments <code>")
                .append(esc(json.path("run").path("arguments").asText()))
                .append("</code>, ")
                .append(fmt("%.0f", json.path("run").path("seconds").asDouble()))
                .append(" s on ")
                .append(json.path("run").path("processors").asInt())
                .append(" processors</p>");

        h.append("<h2>Rounds</h2><table><tr><th>round</th><th>started from</th><th>verdict</th>");
        HEADLINE.forEach(m -> h.append("<th>").append(esc(m)).append("</th>"));
        h.append("<th>failed checks</th></tr><tr><td>base</td><td></td><td></td>");
        HEADLINE.forEach(m -> h.append("<td>").append(fmt("%.3f", base.get(m))).append("</td>"));
        h.append("<td></td></tr>");
        for (ContinualRounds.Round r : rounds) {
            Map<String, Double> m = r.candidate().metrics();
            h.append("<tr><td>")
                    .append(r.round())
                    .append("</td><td>")
                    .append(esc(r.parent()))
                    .append("</td><td class=\"")
                    .append(r.verdict().blessed() ? "met\">blessed" : "missed\">rejected")
                    .append("</td>");
            HEADLINE.forEach(
                    k ->
                            h.append("<td>")
                                    .append(fmt("%.3f", m.get(k)))
                                    .append(" <small>(")
                                    .append(fmt("%+.3f", m.get(k) - base.get(k)))
                                    .append(")</small></td>"));
            h.append("<td style=\"text-align:left\"><small>")
                    .append(esc(String.join("; ", r.verdict().failures())))
                    .append("</small></td></tr>");
        }
        h.append(
                "</table><p><small>Candidate values, with the change from the base in brackets.</small></p>");

        if (!rounds.isEmpty()) {
            ContinualRounds.Round last = rounds.get(rounds.size() - 1);
            Map<String, Double> prod = last.production().metrics();
            h.append("<h2>Drift after ")
                    .append(rounds.size())
                    .append(" rounds (production against base)</h2><ul>");
            double cls = prod.get("zeroshot_cls") - base.get("zeroshot_cls");
            h.append("<li class=\"")
                    .append(cls >= -0.01 ? "met" : "missed")
                    .append("\">CLS within 0.01 of the base: ")
                    .append(fmt("%+.3f", cls))
                    .append("</li>");
            h.append("<li>Seq: ")
                    .append(fmt("%+.3f", prod.get("zeroshot_seq") - base.get("zeroshot_seq")))
                    .append("</li><li>POPE adversarial FPR: ")
                    .append(
                            fmt(
                                    "%+.3f",
                                    prod.get("pope.adversarial.fpr")
                                            - base.get("pope.adversarial.fpr")))
                    .append("</li></ul>");
        }

        h.append(
                "<h2>Every metric per round</h2><p>Filled circles: candidates the gate blessed; open: rejected;"
                        + " green step line: production after each round; dashed: the base.</p><div class=\"charts\">");
        int k = rounds.size();
        for (String metric : base.keySet()) {
            double[] candidate = new double[k];
            double[] production = new double[k];
            boolean[] blessed = new boolean[k];
            for (int i = 0; i < k; i++) {
                candidate[i] = rounds.get(i).candidate().metrics().get(metric);
                production[i] = rounds.get(i).production().metrics().get(metric);
                blessed[i] = rounds.get(i).verdict().blessed();
            }
            h.append(Svg.roundsChart(metric, base.get(metric), candidate, blessed, production));
        }
        h.append("</div></body></html>\n");
        return h.toString();
    }
}
