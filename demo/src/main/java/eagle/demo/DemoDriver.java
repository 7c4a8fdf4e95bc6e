package eagle.demo;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.client.AliasTarget;
import eagle.client.Evaluation;
import eagle.client.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives {@code ./eagle demo} once the services run (scripts/demo.sh starts them): seeds the
 * registry with the embedded base encoder (model, root version, verified upload; the evaluator
 * blesses it as the first {@code production}, with no baseline), waits until the gateway serves it,
 * publishes the synthetic annotations ({@link AnnotationSource}), shows progress (ingest
 * statistics, dead letters, trainer status, registry versions and evaluations, the gateway's
 * production version) and ends with a summary when the gateway serves a blessed version trained
 * from the annotations. This class is the orchestration; {@link DemoServices} reads the services,
 * {@link DeadLetterCount} the dead-letter topic, {@link DemoReport} prints.
 *
 * <p>After the summary a destroyed candidate (the base with its image tower replaced by noise) is
 * registered as a child of the served version, to show the gate rejecting it while the gateway
 * keeps serving.
 *
 * <p>Exit status: 0 = a new version is served and the destroyed one rejected; 3 = the new candidate
 * was evaluated and not blessed (the summary shows why); 4 = timed out; 5 = the destroyed candidate
 * was blessed or production moved; 2 = bad arguments; 1 = an error.
 *
 * <pre>
 * java -cp ... eagle.demo.DemoDriver --registry http://localhost:8081 --ingest http://localhost:8082
 *      --trainer http://localhost:8083 --evaluator http://localhost:8084 --gateway http://localhost:8085
 *      --bootstrap localhost:19092 --model eagle-encoder --base models/embedded-base/model.safetensors
 *      --register-token T --read-token T --source-dir .eagle/demo/source [--images 24] [--timeout-s 300]
 * </pre>
 */
public final class DemoDriver {

    private final Map<String, String> o;
    private final DemoServices services;
    private final DemoReport report = new DemoReport();

    private DemoDriver(Map<String, String> options) {
        this.o = options;
        this.services =
                new DemoServices(
                        options.get("model-registry"),
                        options.get("read-token"),
                        options.get("model"),
                        options.get("gateway"),
                        options.get("trainer"),
                        options.get("ingest"));
    }

    public static void main(String[] args) {
        Map<String, String> options =
                new LinkedHashMap<>(
                        Map.of(
                                "model-registry",
                                "http://localhost:8081",
                                "ingest",
                                "http://localhost:8082",
                                "trainer",
                                "http://localhost:8083",
                                "evaluator",
                                "http://localhost:8084",
                                "gateway",
                                "http://localhost:8085",
                                "bootstrap",
                                "localhost:19092",
                                "model",
                                "eagle-encoder",
                                "base",
                                "models/embedded-base/model.safetensors",
                                "source-dir",
                                ".eagle/demo/source",
                                "images",
                                "24"));
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
        report.step(
                "waiting for the evaluator to bless a production version and the gateway to serve it");
        JsonNode served = null;
        Integer production = null;
        while (production == null
                || served == null
                || served.path("version").asInt() != production) {
            if (report.elapsedS() > deadlineS) {
                return report.timedOut("the production encoder was not served");
            }
            Thread.sleep(2000);
            served = services.gatewayEncoder();
            production = services.production().map(AliasTarget::version).orElse(null);
            report.waitingForProduction(production, served);
        }
        report.step(
                "the gateway serves production version %d (sha256 %s)",
                served.path("version").asInt(), served.path("sha256").asText().substring(0, 12));
        int before = services.newestVersion();
        // a resumed demo publishes new scenes (the same seeds again would be dead-lettered as
        // duplicates)
        Path images = Path.of(o.get("source-dir"), "images");
        long published = 0;
        if (Files.isDirectory(images)) {
            try (var files = Files.list(images)) {
                published = files.count();
            }
        }
        report.step(
                "publishing synthetic annotations (training seeds, PNGs under %s)",
                o.get("source-dir"));
        AnnotationSource.main(
                new String[] {
                    "--bootstrap",
                    o.get("bootstrap"),
                    "--out",
                    o.get("source-dir"),
                    "--images",
                    o.get("images"),
                    "--seed",
                    Long.toString(1_000_000L + published),
                    "--malformed",
                    Boolean.toString(published == 0)
                });

        report.step("watching ingest → trainer → registry → evaluator → gateway");
        Integer candidate = null;
        while (true) {
            if (report.elapsedS() > deadlineS) {
                return report.timedOut("no new version was served");
            }
            Thread.sleep(3000);
            JsonNode trainer = services.trainerStatus();
            served = services.gatewayEncoder();
            int newest = services.newestVersion();
            if (candidate == null && newest > before) {
                candidate = newest;
            }
            Evaluation evaluation = candidate == null ? null : services.latestEvaluation(candidate);
            report.progress(
                    services.ingestClasses(),
                    DeadLetterCount.of(o.get("bootstrap")),
                    trainer,
                    newest,
                    candidate,
                    evaluation,
                    served);
            if (evaluation != null && !evaluation.passed()) {
                summary(baseVersion, candidate, evaluation, served);
                return 3;
            }
            if (candidate != null
                    && served != null
                    && served.path("version").asInt() == candidate) {
                summary(
                        baseVersion,
                        candidate,
                        evaluation == null ? services.latestEvaluation(candidate) : evaluation,
                        served);
                return rejectDestroyed(candidate, deadlineS);
            }
        }
    }

    /**
     * Registers a destroyed copy of the base (image tower re-drawn at random, {@link
     * DestroyedEncoder}) as a child of the served candidate and waits for its verdict: the gate
     * must reject it and the gateway keep serving the candidate (0); 5 when it was blessed.
     */
    private int rejectDestroyed(int production, int deadlineS) throws Exception {
        Path destroyed =
                DestroyedEncoder.write(
                        Path.of(o.get("base")),
                        Files.createTempFile("eagle-demo-destroyed", ".safetensors"),
                        production);
        int version =
                RegistryUpload.registerAndUpload(
                        o.get("model-registry").replaceAll("/+$", ""),
                        o.get("register-token"),
                        o.get("model"),
                        destroyed,
                        production);
        Files.deleteIfExists(destroyed);
        report.step(
                "registered a destroyed candidate as version %d (image tower replaced by noise):"
                        + " the gate must reject it",
                version);
        Evaluation verdict = null;
        while (verdict == null) {
            if (report.elapsedS() > deadlineS + 120) {
                return report.timedOut("the destroyed candidate was not evaluated");
            }
            Thread.sleep(2000);
            verdict = services.latestEvaluation(version);
        }
        JsonNode served = services.gatewayEncoder();
        int servedVersion = served == null ? -1 : served.path("version").asInt();
        report.destroyedVerdict(version, verdict, production, servedVersion);
        return verdict.passed() || servedVersion != production ? 5 : 0;
    }

    /**
     * Creates the model and registers + uploads the embedded base as a root version; returns its
     * number.
     */
    private int seedBase() throws IOException, InterruptedException {
        Path base = Path.of(o.get("base"));
        String registry = o.get("model-registry").replaceAll("/+$", "");
        RegistryUpload.createModel(
                registry, o.get("register-token"), o.get("model"), "EAGLE encoder (demo)");
        int version =
                RegistryUpload.registerAndUpload(
                        registry, o.get("register-token"), o.get("model"), base, null);
        report.step(
                "registered the embedded base %s as %s version %d (sha256 %s, %d bytes, READY)",
                base, o.get("model"), version, Sha256.of(base).substring(0, 12), Files.size(base));
        return version;
    }

    private void summary(int baseVersion, int candidate, Evaluation evaluation, JsonNode served) {
        report.summary(
                o.get("model"),
                services.gatewayEncoderUrl(),
                Path.of(o.get("source-dir")),
                o.get("gate"),
                baseVersion,
                services.latestEvaluation(baseVersion),
                candidate,
                services.version(candidate),
                evaluation,
                served);
    }
}
