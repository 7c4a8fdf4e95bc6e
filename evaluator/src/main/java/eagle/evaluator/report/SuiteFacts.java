package eagle.evaluator.report;

import eagle.evaluator.gate.SuitePrecision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an evaluation says about its suite (docs/METHOD.md §6): the version it ran on, how large it
 * is and, for each gated metric with a margin, the candidate's interval against that margin ({@link
 * SuitePrecision}). Recorded as {@code thresholds._gate.suite} and shown in the report.
 *
 * @param id the suite id (content digest, or digest of the stream's offsets)
 * @param source synthetic, coco or stream
 * @param detail the COCO annotations file, or the stream's topic and offsets
 * @param sizes items per set ({@link #sizes(Map)})
 * @param precision each assessed metric's half-width against its margin
 */
public record SuiteFacts(
        String id,
        String source,
        Map<String, String> detail,
        Map<String, Integer> sizes,
        List<SuitePrecision.Assessment> precision) {

    public SuiteFacts {
        detail = Map.copyOf(detail);
        sizes = Map.copyOf(sizes);
        precision = List.copyOf(precision);
    }

    /** A suite known by its id only (a rejected artifact's report). */
    public static SuiteFacts of(String id) {
        return new SuiteFacts(id, "", Map.of(), Map.of(), List.of());
    }

    /**
     * The size entries of a result's counts: zero-shot items, POPE images and questions per
     * sampling, calibration images and questions, MMVP pairs, and a COCO or stream set's sizes.
     */
    public static Map<String, Integer> sizes(Map<String, Integer> counts) {
        Map<String, Integer> out = new TreeMap<>();
        counts.forEach(
                (k, v) -> {
                    if (k.equals("zeroshot_images")
                            || k.startsWith("pope_")
                            || k.startsWith("calibration_")
                            || k.equals("mmvp_pairs")
                            || k.startsWith("coco.")) {
                        out.put(k, v);
                    }
                });
        return out;
    }

    /** The JSON object recorded as {@code thresholds._gate.suite}. */
    public Map<String, Object> toRecord() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("source", source);
        out.putAll(new TreeMap<>(detail));
        out.put("size", new TreeMap<>(sizes));
        out.put(
                "precision",
                precision.stream()
                        .map(
                                a -> {
                                    Map<String, Object> m = new LinkedHashMap<>();
                                    m.put("metric", a.metric());
                                    m.put("halfWidth", a.halfWidth());
                                    m.put("margin", a.margin());
                                    m.put("tooSmall", a.tooWide());
                                    return m;
                                })
                        .toList());
        return out;
    }

    /** The report's "Suite" section. */
    String html() {
        StringBuilder h = new StringBuilder("<h2>Suite</h2><p>Version <code>");
        h.append(EvaluationReport.esc(id)).append("</code>");
        if (!source.isEmpty()) {
            h.append(" (").append(EvaluationReport.esc(source)).append(")");
        }
        h.append("</p><table>");
        new TreeMap<>(detail)
                .forEach(
                        (k, v) ->
                                h.append("<tr><th class=l>")
                                        .append(EvaluationReport.esc(k))
                                        .append("</th><td class=l>")
                                        .append(EvaluationReport.esc(v))
                                        .append("</td></tr>"));
        new TreeMap<>(sizes)
                .forEach(
                        (k, v) ->
                                h.append("<tr><th class=l>")
                                        .append(EvaluationReport.esc(k))
                                        .append("</th><td>")
                                        .append(v)
                                        .append("</td></tr>"));
        h.append("</table>");
        if (!precision.isEmpty()) {
            h.append("<table><tr><th class=l>metric</th><th>95% CI half-width</th>")
                    .append("<th>margin</th><th class=l>precise enough</th></tr>");
            for (SuitePrecision.Assessment a : precision) {
                h.append("<tr><td class=l>")
                        .append(EvaluationReport.esc(a.metric()))
                        .append(
                                String.format(
                                        java.util.Locale.ROOT, "</td><td>±%.4f", a.halfWidth()))
                        .append(String.format(java.util.Locale.ROOT, "</td><td>%.4f", a.margin()))
                        .append("</td><td class=l>")
                        .append(
                                a.tooWide()
                                        ? "<span class=fail>no: "
                                                + EvaluationReport.esc(a.note())
                                                + "</span>"
                                        : "yes")
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        return h.toString();
    }
}
