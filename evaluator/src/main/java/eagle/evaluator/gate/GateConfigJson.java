package eagle.evaluator.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes a {@link GateConfig} as JSON:
 *
 * <pre>
 * { "thresholds": [
 *     { "metric": "zeroshot_cls", "slice": "zeroshot/cls", "direction": "higher",
 *       "lower": 0.5, "upper": null,
 *       "changes": [ { "against": "baseline", "absolute": -0.01 }, { "against": "base", "absolute": -0.02 } ] },
 *     { "metric": "mmvp.pair_accuracy", "direction": "higher",
 *       "changes": [ { "against": "baseline", "absolute": 0.0, "paired": true } ] } ] }
 * </pre>
 *
 * {@code paired} (default false) makes an absolute change a paired one ({@link ChangeThreshold}).
 *
 * <p>{@code slice} defaults to the metric's slice. An unknown direction is kept as null so the gate
 * fails that metric closed; a malformed document is an {@link IllegalArgumentException} naming the
 * field.
 */
public final class GateConfigJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GateConfigJson() {}

    public static GateConfig parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("gate config is not JSON: " + e.getMessage(), e);
        }
        return parse(root);
    }

    public static GateConfig parse(JsonNode root) {
        JsonNode arr = root == null ? null : root.get("thresholds");
        if (arr == null || !arr.isArray()) {
            throw new IllegalArgumentException("gate config needs an array 'thresholds'");
        }
        List<MetricThreshold> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode t = arr.get(i);
            String at = "thresholds[" + i + "]";
            String metric = text(t, "metric", at);
            String slice =
                    t.hasNonNull("slice")
                            ? t.get("slice").asText()
                            : MetricThreshold.sliceOf(metric);
            Direction dir = Direction.parse(t.path("direction").asText(null)).orElse(null);
            List<ChangeThreshold> changes = new ArrayList<>();
            JsonNode ch = t.path("changes");
            for (int j = 0; j < ch.size(); j++) {
                JsonNode c = ch.get(j);
                String against = text(c, "against", at + ".changes[" + j + "]");
                Reference ref;
                try {
                    ref = Reference.valueOf(against.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            at
                                    + ".changes["
                                    + j
                                    + "].against must be baseline or base, got '"
                                    + against
                                    + "'");
                }
                String where = at + ".changes[" + j + "]";
                JsonNode paired = c.get("paired");
                if (paired != null && !paired.isNull() && !paired.isBoolean()) {
                    throw new IllegalArgumentException(
                            where + ".paired must be true or false, got " + paired);
                }
                try {
                    changes.add(
                            new ChangeThreshold(
                                    ref,
                                    num(c, "absolute"),
                                    num(c, "relative"),
                                    paired != null && paired.asBoolean()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
            out.add(
                    new MetricThreshold(
                            metric, slice, dir, num(t, "lower"), num(t, "upper"), changes));
        }
        return new GateConfig(out);
    }

    public static ObjectNode toJson(GateConfig config) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("thresholds");
        for (MetricThreshold t : config.thresholds()) {
            arr.add(toJson(t));
        }
        return root;
    }

    public static ObjectNode toJson(MetricThreshold t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("metric", t.metric());
        o.put("slice", t.slice());
        o.put("direction", t.direction() == null ? "unknown" : t.direction().name());
        o.put("lower", t.lower());
        o.put("upper", t.upper());
        ArrayNode ch = o.putArray("changes");
        for (ChangeThreshold c : t.changes()) {
            ObjectNode n = ch.addObject();
            n.put("against", c.against().name().toLowerCase(Locale.ROOT));
            n.put("absolute", c.absolute());
            n.put("relative", c.relative());
            if (c.paired()) {
                n.put("paired", true);
            }
        }
        return o;
    }

    private static String text(JsonNode n, String field, String at) {
        if (n == null || !n.hasNonNull(field) || !n.get(field).isTextual()) {
            throw new IllegalArgumentException(at + "." + field + " is required (a string)");
        }
        return n.get(field).asText();
    }

    private static Double num(JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            return null;
        }
        if (!n.get(field).isNumber()) {
            throw new IllegalArgumentException(field + " must be a number, got " + n.get(field));
        }
        return n.get(field).asDouble();
    }
}
