package eagle.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Drives {@code ./eagle demo} once the services run (scripts/demo.sh starts them): seeds the registry with
 * the embedded base encoder (model, root version, verified upload; the evaluator blesses it as the first
 * {@code production}, with no baseline), waits until the gateway serves it, publishes the synthetic
 * annotations ({@link AnnotationSource}), shows progress (ingest statistics, dead letters, trainer
 * status, registry versions and evaluations, the gateway's production version) and ends with a summary
 * when the gateway serves a blessed version trained from the annotations.
 *
 * <p>Exit status: 0 = a new version is served; 3 = the new candidate was evaluated and not blessed (the
 * summary shows why); 4 = timed out; 2 = bad arguments; 1 = an error.
 *
 * <pre>
 * java -cp ... eagle.demo.DemoDriver --registry http://localhost:8081 --ingest http://localhost:8082
 *      --trainer http://localhost:8083 --evaluator http://localhost:8084 --gateway http://localhost:8085
 *      --bootstrap localhost:19092 --model eagle-encoder --base models/embedded-base/model.safetensors
 *      --register-token T --read-token T --source-dir .eagle/demo/source [--images 24] [--timeout-s 300]
 * </pre>
 */
public final class DemoDriver {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> HEADLINE_METRICS = List.of("zeroshot_cls", "zeroshot_seq",
            "pope.random.fpr", "pope.popular.fpr", "pope.adversarial.fpr", "mmvp.pair_accuracy");

    private final Map<String, String> o;
    private final String api;
    private final long started = System.nanoTime();

    private DemoDriver(Map<String, String> options) {
        this.o = options;
        this.api = options.get("model-registry").replaceAll("/+$", "") + "/api/v1/models/" + options.get("model");
    }

    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(Map.of(
                "model-registry", "http://localhost:8081", "ingest", "http://localhost:8082",
                "trainer", "http://localhost:8083", "evaluator", "http://localhost:8084",
                "gateway", "http://localhost:8085", "bootstrap", "localhost:19092", "model", "eagle-encoder",
                "base", "models/embedded-base/model.safetensors", "source-dir", ".eagle/demo/source",
                "images", "24"));
        options.put("timeout-s", "300");
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("demo: bad argument " + args[i]);
                System.exit(2);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("register-token", "read-token")) {
            if (!options.containsKey(required)) {
                System.err.println("demo: --" + required + " is required");
                System.exit(2);
            }
        }
        try {
            System.exit(new DemoDriver(options).run());
        } catch (Exception e) {
            System.err.println("demo: " + e);
            System.exit(1);
        }
    }

    private int run() throws Exception {
        int deadlineS = Integer.parseInt(o.get("timeout-s"));
        int baseVersion = seedBase();
        step("waiting for the evaluator to bless a production version and the gateway to serve it");
        JsonNode served = null;
        JsonNode prod = null;
        while (prod == null || served == null || served.path("version").asInt() != prod.path("version").asInt()) {
            if (elapsedS() > deadlineS) {
                return timedOut("the production encoder was not served");
            }
            Thread.sleep(2000);
            served = gatewayEncoder();
            prod = registry("/aliases/production");
            System.out.printf("  [%3ds] production: %s   gateway: %s%n", elapsedS(),
                    prod == null ? "none yet" : "version " + prod.path("version").asInt(),
                    served == null ? "not serving yet" : "version " + served.path("version").asInt());
        }
        step("the gateway serves production version %d (sha256 %s)", served.path("version").asInt(),
                served.path("sha256").asText().substring(0, 12));
        int before = newestVersion();
        // a resumed demo publishes new scenes (the same seeds again would be dead-lettered as duplicates)
        Path images = Path.of(o.get("source-dir"), "images");
        long published = 0;
        if (Files.isDirectory(images)) {
            try (var files = Files.list(images)) {
                published = files.count();
            }
        }
        step("publishing synthetic annotations (training seeds, PNGs under %s)", o.get("source-dir"));
        AnnotationSource.main(new String[]{"--bootstrap", o.get("bootstrap"), "--out", o.get("source-dir"),
                "--images", o.get("images"), "--seed", Long.toString(1_000_000L + published),
                "--malformed", Boolean.toString(published == 0)});

        step("watching ingest → trainer → registry → evaluator → gateway");
        Integer candidate = null;
        while (true) {
            if (elapsedS() > deadlineS) {
                return timedOut("no new version was served");
            }
            Thread.sleep(3000);
            JsonNode trainer = get(o.get("trainer") + "/api/v1/status", null);
            served = gatewayEncoder();
            int newest = newestVersion();
            if (candidate == null && newest > before) {
                candidate = newest;
            }
            JsonNode evaluation = candidate == null ? null : latestEvaluation(candidate);
            System.out.printf("  [%3ds] ingest: %s | dead letters: %d | trainer: %s | registry: %d versions%s | gateway: %s%n",
                    elapsedS(), ingestLine(), deadLetters(), trainerLine(trainer), newest,
                    evaluation == null ? (candidate == null ? "" : ", v" + candidate + " under evaluation")
                            : ", v" + candidate + " " + (evaluation.path("passed").asBoolean() ? "BLESSED" : "NOT blessed"),
                    served == null ? "-" : "v" + served.path("version").asInt());
            if (evaluation != null && !evaluation.path("passed").asBoolean()) {
                summary(baseVersion, candidate, evaluation, served);
                return 3;
            }
            if (candidate != null && served != null && served.path("version").asInt() == candidate) {
                summary(baseVersion, candidate, evaluation == null ? latestEvaluation(candidate) : evaluation, served);
                return 0;
            }
        }
    }

    private int newestVersion() throws InterruptedException {
        JsonNode versions = registry("/versions");
        int newest = 0;
        if (versions != null) {
            for (JsonNode v : versions) {
                newest = Math.max(newest, v.path("version").asInt());
            }
        }
        return newest;
    }

    /** Creates the model and registers + uploads the embedded base as a root version; returns its number. */
    private int seedBase() throws IOException, InterruptedException {
        Path base = Path.of(o.get("base"));
        String registry = o.get("model-registry").replaceAll("/+$", "");
        RegistryUpload.createModel(registry, o.get("register-token"), o.get("model"), "EAGLE encoder (demo)");
        int version = RegistryUpload.registerAndUpload(registry, o.get("register-token"), o.get("model"), base, null);
        step("registered the embedded base %s as %s version %d (sha256 %s, %d bytes, READY)", base, o.get("model"),
                version, AnnotationEvent.sha256Hex(Files.readAllBytes(base)).substring(0, 12), Files.size(base));
        return version;
    }

    private void summary(int baseVersion, int candidate, JsonNode evaluation, JsonNode served) throws Exception {
        JsonNode baseEval = latestEvaluation(baseVersion);
        String g = o.get("gateway").replaceAll("/+$", "") + "/v1/encoders/" + o.get("model");
        System.out.println();
        System.out.println("================================ EAGLE demo summary ================================");
        System.out.printf("elapsed               %d s%n", elapsedS());
        if (served != null) {
            System.out.printf("served by the gateway %s version %d, sha256 %s%n", o.get("model"),
                    served.path("version").asInt(), served.path("sha256").asText());
        }
        JsonNode cv = registry("/versions/" + candidate);
        if (cv != null) {
            JsonNode params = cv.path("trainingRun").path("parameters");
            System.out.printf("candidate             version %d (parent %s), run %s, %s steps, manifest %s%n", candidate,
                    cv.path("parentVersion").asText(), cv.path("trainingRun").path("runId").asText(),
                    params.path("lossCurve").size(), cv.path("trainingRun").path("dataManifest"));
        }
        if (evaluation != null) {
            System.out.printf("evaluation            %s on suite %s against baseline v%s: %s%n", evaluation.path("id").asText(),
                    evaluation.path("suiteId").asText(), evaluation.path("baselineVersion").asText(),
                    evaluation.path("passed").asBoolean() ? "PASSED (blessed)" : "FAILED (not blessed)");
            if (o.containsKey("gate")) {
                System.out.printf("  gate %s%n", o.get("gate"));
            }
            for (JsonNode s : evaluation.path("slices")) {
                System.out.printf("  slice %-22s %s%s%n", s.path("slice").asText(),
                        s.path("passed").asBoolean() ? "pass" : "FAIL",
                        s.hasNonNull("reason") ? "  " + s.path("reason").asText() : "");
            }
            Map<String, Double> now = flatten(evaluation.path("metrics"));
            Map<String, Double> before = baseEval == null ? Map.of() : flatten(baseEval.path("metrics"));
            System.out.printf("  %-28s %12s %12s%n", "metric", "base v" + baseVersion, "new v" + candidate);
            for (Map.Entry<String, Double> m : now.entrySet()) {
                if (HEADLINE_METRICS.contains(m.getKey()) || now.size() <= 12) {
                    Double b = before.get(m.getKey());
                    System.out.printf("  %-28s %12s %12.4f%n", m.getKey(), b == null ? "-" : String.format("%.4f", b), m.getValue());
                }
            }
            System.out.printf("report                %s%n", evaluation.path("reportUrl").asText());
        }
        System.out.println("fetch the encoder:");
        System.out.printf("  curl -s %s%n", g);
        System.out.printf("  curl -s -o encoder.safetensors %s/weights          # OpenAI CLIP names%n", g);
        System.out.printf("  curl -s -o visual.safetensors %s/visual/weights    # image tower only%n", g);
        System.out.printf("  for f in config.json model.safetensors preprocessor_config.json; do curl -s --create-dirs -o clip-hf/$f %s/hf/$f; done%n", g);
        System.out.printf("  curl -s -H 'Content-Type: image/png' --data-binary @%s/images/demo-1000000.png %s/embed | head -c 300%n",
                Path.of(o.get("source-dir")).toAbsolutePath(), g);
        System.out.println("====================================================================================");
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
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        }
    }

    private JsonNode latestEvaluation(int version) throws InterruptedException {
        JsonNode list = registry("/versions/" + version + "/evaluations");
        if (list == null || !list.isArray() || list.isEmpty()) {
            return null;
        }
        JsonNode latest = null;
        for (JsonNode e : list) {
            if (latest == null || e.path("createdAt").asText().compareTo(latest.path("createdAt").asText()) >= 0) {
                latest = e;
            }
        }
        return latest;
    }

    private String ingestLine() throws InterruptedException {
        JsonNode stats = get(o.get("ingest") + "/statistics/classes", null);
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

    private long deadLetters() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.get("bootstrap"));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.ANNOTATIONS_DLQ, Duration.ofSeconds(3)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            // read_committed end offsets include the transaction markers; count the records instead
            c.assign(parts);
            c.seekToBeginning(parts);
            long n = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            while (System.nanoTime() < deadline) {
                n += c.poll(Duration.ofMillis(200)).count();
                boolean done = true;
                for (TopicPartition tp : parts) {
                    done &= c.position(tp) >= ends.get(tp);
                }
                if (done) {
                    break;
                }
            }
            return n;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String trainerLine(JsonNode s) {
        if (s == null) {
            return "unreachable";
        }
        StringBuilder b = new StringBuilder(s.path("phase").asText());
        b.append(" round ").append(s.path("round").asInt());
        if (s.path("totalSteps").asInt() > 0) {
            b.append(" step ").append(s.path("step").asInt()).append('/').append(s.path("totalSteps").asInt());
        }
        b.append(", new ").append(s.path("newSamples").asInt()).append('/').append(s.path("minSamples").asInt());
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

    private JsonNode gatewayEncoder() throws InterruptedException {
        return get(o.get("gateway").replaceAll("/+$", "") + "/v1/encoders/" + o.get("model"), null);
    }

    private JsonNode registry(String path) throws InterruptedException {
        return get(api + path, o.get("read-token"));
    }

    /** GET → JSON, or null when unreachable or not 200. */
    private static JsonNode get(String url, String token) throws InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> res = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
            return res.statusCode() == 200 ? JSON.readTree(res.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private int timedOut(String what) {
        System.out.printf("demo: timed out after %d s: %s (logs under .eagle/demo/logs)%n", elapsedS(), what);
        return 4;
    }

    private long elapsedS() {
        return (System.nanoTime() - started) / 1_000_000_000L;
    }

    private void step(String format, Object... args) {
        System.out.printf("[%3ds] %s%n", elapsedS(), String.format(format, args));
    }
}
