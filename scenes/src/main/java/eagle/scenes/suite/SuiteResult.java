package eagle.scenes.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.eval.Bootstrap;
import eagle.core.eval.PopeMetrics;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scores of one encoder on one suite. JSON layout ({@link #toJson()}):
 *
 * <pre>
 * { "suite_id": "…",
 *   "zeroshot_cls": 0.69, "zeroshot_seq": 0.20,
 *   "pope": { "random"|"popular"|"adversarial":
 *             { "accuracy", "precision", "recall", "f1", "fpr", "yes_ratio" } },
 *   "mmvp": { "pair_accuracy": 0.3, "by_kind": { "colour": …, "count": …, … },
 *             "representation": "max_patch" },
 *   "ci": { "zeroshot_cls": {"lower","upper"}, "zeroshot_seq": {…},
 *           "pope": { split: { metric: {"lower","upper"} } }, "mmvp": { "pair_accuracy": {…} } },
 *   "bootstrap": { "resamples", "level", "seed" },
 *   "calibration": { "threshold", "accuracy" },
 *   "counts": { "zeroshot_images", "calibration_images", "calibration_questions",
 *               "pope_questions_random", …, "pope_images", "mmvp_pairs" },
 *   "outcomes": { "zeroshot_cls": "0110…", "zeroshot_seq": "…", "mmvp.pair_accuracy": "…",
 *                 "pope.random.fpr": "…", "pope.popular.fpr": "…", "pope.adversarial.fpr": "…" } }
 * </pre>
 *
 * {@link #metrics()} gives the gated values by their dotted path ("pope.adversarial.fpr"), and
 * {@link #ci()} their intervals by the same path. {@link #outcomes()} holds, for the metrics that
 * are a fraction of items, one bit per item in the suite's item order whose mean is the metric:
 * whether each zero-shot image or MMVP pair was right ('1') or wrong ('0'), and for a POPE split's
 * FPR whether each question about an absent object was answered yes ('1'); so two encoders scored
 * on the same suite can be compared item by item (the gate's paired checks, docs/METHOD.md §7).
 */
public record SuiteResult(
        String suiteId,
        double zeroshotCls,
        double zeroshotSeq,
        Map<NegativeSampling, PopeMetrics> pope,
        double mmvpPairAccuracy,
        Map<MmvpKind, Double> mmvpByKind,
        SuiteRunner.MmvpRepresentation mmvpRepresentation,
        double threshold,
        double calibrationAccuracy,
        Map<String, Bootstrap.Interval> ci,
        Map<String, Integer> counts,
        Bootstrap.Options bootstrap,
        Map<String, boolean[]> outcomes) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SuiteResult {
        pope = Map.copyOf(pope);
        mmvpByKind = Map.copyOf(mmvpByKind);
        ci = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ci));
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        Map<String, boolean[]> copied = new LinkedHashMap<>();
        outcomes.forEach((metric, perItem) -> copied.put(metric, perItem.clone()));
        outcomes = java.util.Collections.unmodifiableMap(copied);
    }

    /** The per-item outcomes by metric: a copy, so that no caller can change this result's. */
    @Override
    public Map<String, boolean[]> outcomes() {
        Map<String, boolean[]> copy = new LinkedHashMap<>();
        outcomes.forEach((metric, perItem) -> copy.put(metric, perItem.clone()));
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** The per-item outcomes of a fraction metric (a copy), or null when it has none. */
    public boolean[] outcomesOf(String metric) {
        boolean[] perItem = outcomes.get(metric);
        return perItem == null ? null : perItem.clone();
    }

    /** This result with other counts (the evaluator adds what its suite left out). */
    public SuiteResult withCounts(Map<String, Integer> newCounts) {
        return new SuiteResult(
                suiteId,
                zeroshotCls,
                zeroshotSeq,
                pope,
                mmvpPairAccuracy,
                mmvpByKind,
                mmvpRepresentation,
                threshold,
                calibrationAccuracy,
                ci,
                newCounts,
                bootstrap,
                outcomes);
    }

    /** Every gated metric by dotted path, in report order. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("zeroshot_cls", zeroshotCls);
        m.put("zeroshot_seq", zeroshotSeq);
        for (NegativeSampling n : NegativeSampling.values()) {
            for (String k : PopeMetrics.NAMES) {
                m.put("pope." + n.key() + "." + k, pope.get(n).get(k));
            }
        }
        m.put("mmvp.pair_accuracy", mmvpPairAccuracy);
        return m;
    }

    /** The JSON tree of the layout above. */
    public ObjectNode toJsonTree() {
        ObjectNode root = JSON.createObjectNode();
        root.put("suite_id", suiteId);
        metrics().forEach((path, v) -> put(root, path, JSON.getNodeFactory().numberNode(v)));
        ObjectNode mmvp = (ObjectNode) root.get("mmvp");
        ObjectNode kinds = mmvp.putObject("by_kind");
        for (MmvpKind k : MmvpKind.values()) {
            if (mmvpByKind.containsKey(k)) {
                kinds.put(k.key(), mmvpByKind.get(k));
            }
        }
        mmvp.put("representation", mmvpRepresentation.name().toLowerCase());
        ObjectNode ciNode = root.putObject("ci");
        ci.forEach(
                (path, iv) -> {
                    ObjectNode o = JSON.createObjectNode();
                    o.put("lower", iv.lower());
                    o.put("upper", iv.upper());
                    put(ciNode, path, o);
                });
        ObjectNode bs = root.putObject("bootstrap");
        bs.put("resamples", bootstrap.resamples());
        bs.put("level", bootstrap.level());
        bs.put("seed", bootstrap.seed());
        ObjectNode cal = root.putObject("calibration");
        cal.put("threshold", threshold);
        cal.put("accuracy", calibrationAccuracy);
        ObjectNode cn = root.putObject("counts");
        counts.forEach(cn::put);
        ObjectNode on = root.putObject("outcomes");
        outcomes.forEach((metric, perItem) -> on.put(metric, bits(perItem)));
        return root;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(toJsonTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise suite result", e);
        }
    }

    /**
     * Reads the layout written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException naming the first missing or malformed field
     */
    public static SuiteResult fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "suite result is not JSON: " + e.getOriginalMessage(), e);
        }
        Map<NegativeSampling, PopeMetrics> pope = new EnumMap<>(NegativeSampling.class);
        for (NegativeSampling n : NegativeSampling.values()) {
            double[] v =
                    PopeMetrics.NAMES.stream()
                            .mapToDouble(k -> num(root, "pope." + n.key() + "." + k))
                            .toArray();
            pope.put(n, new PopeMetrics(0, 0, 0, 0, v[0], v[1], v[2], v[3], v[4], v[5]));
        }
        Map<MmvpKind, Double> kinds = new EnumMap<>(MmvpKind.class);
        for (MmvpKind k : MmvpKind.values()) {
            JsonNode v = root.path("mmvp").path("by_kind").get(k.key());
            if (v != null) {
                kinds.put(k, v.asDouble());
            }
        }
        Map<String, Bootstrap.Interval> ci = new LinkedHashMap<>();
        collectIntervals(root.path("ci"), "", ci);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("counts").properties()) {
            counts.put(e.getKey(), e.getValue().asInt());
        }
        JsonNode bs = root.path("bootstrap");
        JsonNode on = root.get("outcomes");
        if (on == null || !on.isObject()) {
            throw new IllegalArgumentException("suite result lacks 'outcomes'");
        }
        Map<String, boolean[]> outcomes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : on.properties()) {
            outcomes.put(e.getKey(), parseBits(e.getKey(), e.getValue()));
        }
        return new SuiteResult(
                text(root, "suite_id"),
                num(root, "zeroshot_cls"),
                num(root, "zeroshot_seq"),
                pope,
                num(root, "mmvp.pair_accuracy"),
                kinds,
                SuiteRunner.MmvpRepresentation.valueOf(
                        text(root, "mmvp.representation").toUpperCase()),
                num(root, "calibration.threshold"),
                num(root, "calibration.accuracy"),
                ci,
                counts,
                new Bootstrap.Options(
                        bs.path("resamples").asInt(1000),
                        bs.path("level").asDouble(0.95),
                        bs.path("seed").asLong(0)),
                outcomes);
    }

    /** '1' for a right item, '0' for a wrong one. */
    private static String bits(boolean[] perItem) {
        StringBuilder b = new StringBuilder(perItem.length);
        for (boolean ok : perItem) {
            b.append(ok ? '1' : '0');
        }
        return b.toString();
    }

    private static boolean[] parseBits(String metric, JsonNode node) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException(
                    "suite result field 'outcomes." + metric + "' is not a string");
        }
        String text = node.asText();
        boolean[] perItem = new boolean[text.length()];
        for (int i = 0; i < perItem.length; i++) {
            char c = text.charAt(i);
            if (c != '0' && c != '1') {
                throw new IllegalArgumentException(
                        "suite result field 'outcomes."
                                + metric
                                + "' holds '"
                                + c
                                + "' at "
                                + i
                                + "; expected only 0 and 1");
            }
            perItem[i] = c == '1';
        }
        return perItem;
    }

    private static void collectIntervals(
            JsonNode node, String prefix, Map<String, Bootstrap.Interval> out) {
        if (node.has("lower") && node.has("upper")) {
            out.put(
                    prefix,
                    new Bootstrap.Interval(
                            node.get("lower").asDouble(), node.get("upper").asDouble()));
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            collectIntervals(
                    e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out);
        }
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode n = root;
        for (String p : path.split("\\.")) {
            n = n.get(p);
            if (n == null) {
                throw new IllegalArgumentException("suite result lacks '" + path + "'");
            }
        }
        return n;
    }

    private static double num(JsonNode root, String path) {
        JsonNode n = at(root, path);
        if (!n.isNumber()) {
            throw new IllegalArgumentException(
                    "suite result field '" + path + "' is not a number: " + n);
        }
        return n.asDouble();
    }

    private static String text(JsonNode root, String path) {
        return at(root, path).asText();
    }

    /** Puts value at a dotted path, creating the objects on the way. */
    private static void put(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode o = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = o.get(parts[i]);
            o = child instanceof ObjectNode on ? on : o.putObject(parts[i]);
        }
        o.set(parts[parts.length - 1], value);
    }
}
