package eagle.demo;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.client.Evaluation;
import eagle.client.Version;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the demo prints: timed steps, one progress line per poll, and the closing summary. */
final class DemoReport {

    private static final List<String> HEADLINE_METRICS =
            List.of(
                    "zeroshot_cls",
                    "zeroshot_seq",
                    "pope.random.fpr",
                    "pope.popular.fpr",
                    "pope.adversarial.fpr",
                    "mmvp.pair_accuracy");

    private final long started = System.nanoTime();

    long elapsedS() {
        return (System.nanoTime() - started) / 1_000_000_000L;
    }

    void step(String format, Object... args) {
        System.out.printf("[%3ds] %s%n", elapsedS(), String.format(format, args));
    }

    void waitingForProduction(Integer production, JsonNode served) {
        System.out.printf(
                "  [%3ds] production: %s   gateway: %s%n",
                elapsedS(),
                production == null ? "none yet" : "version " + production,
                served == null ? "not serving yet" : "version " + served.path("version").asInt());
    }

    void progress(
            JsonNode ingestClasses,
            long deadLetters,
            JsonNode trainer,
            int newest,
            Integer candidate,
            Evaluation evaluation,
            JsonNode served) {
        System.out.printf(
                "  [%3ds] ingest: %s | dead letters: %d | trainer: %s | registry: %d versions%s | gateway: %s%n",
                elapsedS(),
                ingestLine(ingestClasses),
                deadLetters,
                trainerLine(trainer),
                newest,
                evaluation == null
                        ? (candidate == null ? "" : ", v" + candidate + " under evaluation")
                        : ", v"
                                + candidate
                                + " "
                                + (evaluation.passed() ? "BLESSED" : "NOT blessed"),
                served == null ? "-" : "v" + served.path("version").asInt());
    }

    int timedOut(String what) {
        System.out.printf(
                "demo: timed out after %d s: %s (logs under .eagle/demo/logs)%n", elapsedS(), what);
        return 4;
    }

    /**
     * The closing summary: what the gateway serves, the candidate and its run, the evaluation
     * against the base's (slices, headline metrics) and how to fetch the encoder.
     */
    void summary(
            String model,
            String gatewayEncoderUrl,
            Path sourceDir,
            String gate,
            int baseVersion,
            Evaluation baseEvaluation,
            int candidate,
            Version candidateVersion,
            Evaluation evaluation,
            JsonNode served) {
        String g = gatewayEncoderUrl;
        System.out.println();
        System.out.println(
                "================================ EAGLE demo summary ================================");
        System.out.printf("elapsed               %d s%n", elapsedS());
        if (served != null) {
            System.out.printf(
                    "served by the gateway %s version %d, sha256 %s%n",
                    model, served.path("version").asInt(), served.path("sha256").asText());
        }
        if (candidateVersion != null) {
            JsonNode run = candidateVersion.raw().path("trainingRun");
            System.out.printf(
                    "candidate             version %d (parent %s), run %s, %s steps, manifest %s%n",
                    candidate,
                    candidateVersion.parentVersion(),
                    run.path("runId").asText(),
                    run.path("parameters").path("lossCurve").size(),
                    run.path("dataManifest"));
        }
        if (evaluation != null) {
            System.out.printf(
                    "evaluation            %s on suite %s against baseline v%s: %s%n",
                    evaluation.id(),
                    evaluation.suiteId(),
                    evaluation.baselineVersion(),
                    evaluation.passed() ? "PASSED (blessed)" : "FAILED (not blessed)");
            if (gate != null) {
                System.out.printf("  gate %s%n", gate);
            }
            for (JsonNode s : evaluation.raw().path("slices")) {
                System.out.printf(
                        "  slice %-22s %s%s%n",
                        s.path("slice").asText(),
                        s.path("passed").asBoolean() ? "pass" : "FAIL",
                        s.hasNonNull("reason") ? "  " + s.path("reason").asText() : "");
            }
            Map<String, Double> now = flatten(evaluation.raw().path("metrics"));
            Map<String, Double> before =
                    baseEvaluation == null
                            ? Map.of()
                            : flatten(baseEvaluation.raw().path("metrics"));
            System.out.printf(
                    "  %-28s %12s %12s %9s%n",
                    "metric", "base v" + baseVersion, "new v" + candidate, "change");
            for (Map.Entry<String, Double> m : now.entrySet()) {
                if (HEADLINE_METRICS.contains(m.getKey()) || now.size() <= 12) {
                    Double b = before.get(m.getKey());
                    System.out.printf(
                            "  %-28s %12s %12.4f %9s%n",
                            m.getKey(),
                            b == null ? "-" : String.format("%.4f", b),
                            m.getValue(),
                            b == null ? "" : String.format("%+.4f", m.getValue() - b));
                }
            }
            System.out.printf("report                %s%n", evaluation.reportUrl());
        }
        System.out.println("fetch the encoder:");
        System.out.printf("  curl -s %s%n", g);
        System.out.printf(
                "  curl -s -o encoder.safetensors %s/weights          # OpenAI CLIP names%n", g);
        System.out.printf(
                "  curl -s -o visual.safetensors %s/visual/weights    # image tower only%n", g);
        System.out.printf(
                "  for f in config.json model.safetensors preprocessor_config.json; do curl -s --create-dirs -o clip-hf/$f %s/hf/$f; done%n",
                g);
        System.out.printf(
                "  curl -s -H 'Content-Type: image/png' --data-binary @%s/images/demo-1000000.png %s/embed | head -c 300%n",
                sourceDir.toAbsolutePath(), g);
        System.out.println(
                "====================================================================================");
    }

    /** The destroyed candidate's verdict and what the gateway serves after it. */
    void destroyedVerdict(int version, Evaluation verdict, int production, int served) {
        System.out.printf(
                "destroyed candidate   version %d: %s; production stays v%d, the gateway serves v%d%n",
                version,
                verdict.passed() ? "PASSED (this should not happen)" : "FAILED (not blessed)",
                production,
                served);
        for (JsonNode s : verdict.raw().path("slices")) {
            if (!s.path("passed").asBoolean()) {
                System.out.printf(
                        "  slice %-22s FAIL  %s%n",
                        s.path("slice").asText(), s.path("reason").asText());
            }
        }
    }

    static String ingestLine(JsonNode stats) {
        if (stats == null) {
            return "not queryable";
        }
        long instances = 0;
        int classes = 0;
        for (JsonNode c : stats.isArray() ? stats : stats.path("classes")) {
            instances += c.path("instances").asLong();
            classes++;
        }
        return instances + " instances in " + classes + " classes";
    }

    static String trainerLine(JsonNode s) {
        if (s == null) {
            return "unreachable";
        }
        StringBuilder b = new StringBuilder(s.path("phase").asText());
        b.append(" round ").append(s.path("round").asInt());
        if (s.path("totalSteps").asInt() > 0) {
            b.append(" step ")
                    .append(s.path("step").asInt())
                    .append('/')
                    .append(s.path("totalSteps").asInt());
        }
        b.append(", new ")
                .append(s.path("newSamples").asInt())
                .append('/')
                .append(s.path("minSamples").asInt());
        if (s.path("skipped").asLong() > 0) {
            b.append(", skipped ").append(s.path("skipped").asLong());
        }
        if (s.hasNonNull("lastCandidateVersion")) {
            b.append(", candidate v").append(s.path("lastCandidateVersion").asInt());
        }
        if (s.hasNonNull("error") && !s.path("error").asText().isEmpty()) {
            b.append(", error ").append(s.path("error").asText());
        }
        return b.toString();
    }

    private static Map<String, Double> flatten(JsonNode n) {
        Map<String, Double> out = new TreeMap<>();
        flatten("", n, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode n, Map<String, Double> out) {
        if (n.isNumber()) {
            out.put(prefix, n.asDouble());
        } else if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(
                        prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                        e.getValue(),
                        out);
            }
        }
    }
}
