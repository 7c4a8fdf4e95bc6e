package eagle.scenes.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads a {@link RoundGate} from a gate file in the evaluator's format (see RoundGate). */
final class RoundGateFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DEFAULT_RESOURCE = "default-gate.json";

    private RoundGateFile() {}

    /** The platform's default gate (see the class comment). */
    static RoundGate defaults() {
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

    /**
     * @throws IllegalArgumentException naming the malformed field
     */
    static RoundGate parse(String json, String source) {
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
        List<RoundGate.Threshold> out = new ArrayList<>();
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
            List<RoundGate.Change> changes = new ArrayList<>();
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
                JsonNode paired = c.get("paired");
                if (paired != null && !paired.isNull() && !paired.isBoolean()) {
                    throw new IllegalArgumentException(
                            at + ".changes: paired must be true or false, got " + paired);
                }
                boolean isPaired = paired != null && paired.asBoolean();
                if (isPaired && (absolute == null || relative != null)) {
                    throw new IllegalArgumentException(
                            at + ".changes: a paired bound takes an absolute bound only");
                }
                changes.add(
                        new RoundGate.Change(against.equals("base"), absolute, relative, isPaired));
            }
            out.add(
                    new RoundGate.Threshold(
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
}
