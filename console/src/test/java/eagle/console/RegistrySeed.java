package eagle.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.AliasTarget;
import eagle.client.Registration;
import eagle.client.RegistryClient;
import eagle.client.Sha256;
import eagle.infra.DevJwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the console's tests look at, written through the registry's API as its writers do (dev
 * tokens per role): model {@value #MODEL} with v1 and v2 blessed (v1 moved to production by an
 * operator, then v2 promoted by the evaluator) and v3 refused by the gate on {@code zeroshot_cls}
 * (observed 0.41 against a lower bound of 0.5).
 */
final class RegistrySeed {

    static final String MODEL = "clip-console";
    static final String READ = DevJwt.mint("console", "registry.read");
    static final String ALIAS = DevJwt.mint("operator", "registry.alias");

    /** the evaluator's subject: its moves are promotions on the timeline */
    private static final String PROMOTE = DevJwt.mint("evaluator", "registry.alias");

    private static final String REGISTER = DevJwt.mint("trainer", "registry.register");
    private static final String EVALUATE = DevJwt.mint("evaluator", "registry.evaluate");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final RegistryClient registrar;
    private final RegistryClient evaluator;
    private final RegistryClient reader;

    /**
     * @param api the registry's API base ({@code http://host:port/api/v1}), as the tests pass it
     */
    RegistrySeed(String api) {
        this.url = api.replaceAll("/+$", "").replaceAll("/api/v1$", "");
        this.registrar = new RegistryClient(url, REGISTER);
        this.evaluator = new RegistryClient(url, EVALUATE);
        this.reader = new RegistryClient(url, READ);
    }

    void seed() {
        registrar.createModel(MODEL, "console test");
        register(1, null);
        register(2, 1);
        register(3, 2);
        evaluate(1, 0.61, true);
        evaluate(2, 0.66, true);
        evaluate(3, 0.41, false);
        move(1, ALIAS, "first release");
        move(2, PROMOTE, "v2 blessed");
    }

    private void register(int expected, Integer parent) {
        byte[] bytes = new byte[256 + expected];
        new Random(expected).nextBytes(bytes);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("topic", "eagle.annotations.v1");
        manifest.put("partition", 0);
        manifest.put("fromOffset", (expected - 1) * 100);
        manifest.put("untilOffset", expected * 100);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", "round-" + expected);
        run.put("parameters", Map.of());
        run.put("dataManifest", List.of(manifest));
        Path artifact = null;
        try {
            artifact = Files.createTempFile("console-seed-v" + expected, ".safetensors");
            Files.write(artifact, bytes);
            Registration r =
                    registrar.registerAndUpload(
                            MODEL, parent, artifact, Map.of("preset", "tiny"), run);
            if (r.version() != expected || !r.sha256().equalsIgnoreCase(Sha256.of(bytes))) {
                throw new IllegalStateException(
                        "registered v"
                                + r.version()
                                + " ("
                                + r.sha256()
                                + "), expected v"
                                + expected);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("register v" + expected, e);
        } finally {
            if (artifact != null) {
                try {
                    Files.deleteIfExists(artifact);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /**
     * An evaluation shaped as the evaluator records it: metrics, thresholds per metric@slice with
     * checks, slices.
     */
    private void evaluate(int version, double cls, boolean passed) {
        double observed = cls;
        String check =
                "{\"kind\":\"VALUE_LOWER\",\"threshold\":0.5,\"candidate\":"
                        + cls
                        + ",\"observed\":"
                        + observed
                        + ",\"passed\":"
                        + passed
                        + ",\"reason\":\""
                        + (passed
                                ? "above the bound"
                                : "zeroshot_cls " + cls + " is below the lower bound 0.5")
                        + "\"}";
        String body =
                "{\"suiteId\":\"console-suite-v1\",\"baselineVersion\":"
                        + (version > 1 ? version - 1 : null)
                        + ",\"metrics\":{\"zeroshot_cls\":"
                        + cls
                        + ",\"pope.random.fpr\":"
                        + (0.2 - version * 0.01)
                        + ",\"ci.zeroshot_cls.lower\":"
                        + (cls - 0.04)
                        + ",\"ci.zeroshot_cls.upper\":"
                        + (cls + 0.04)
                        + "},"
                        + "\"thresholds\":{\"_gate\":{\"purpose\":\"candidate\",\"notes\":["
                        + (version == 1 ? "\"no baseline\"" : "")
                        + "]},\"zeroshot_cls@zeroshot\":{\"metric\":\"zeroshot_cls\",\"slice\":\"zeroshot\","
                        + "\"direction\":\"HIGHER\",\"lower\":0.5,\"upper\":null,\"checks\":["
                        + check
                        + "]}},"
                        + "\"slices\":[{\"slice\":\"zeroshot\",\"passed\":"
                        + passed
                        + (passed ? "" : ",\"reason\":\"zeroshot_cls below 0.5\"")
                        + "}],\"passed\":"
                        + passed
                        + ",\"reportUrl\":\"/reports/console-v"
                        + version
                        + ".html\"}";
        try {
            evaluator.recordEvaluation(MODEL, version, JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException("evaluation body of v" + version, e);
        }
    }

    /** Production moved by the evaluator's subject, as the pipeline promotes. */
    void promote(int version, String reason) {
        move(version, PROMOTE, reason);
    }

    private void move(int version, String token, String reason) {
        Integer current = reader.production(MODEL).map(AliasTarget::version).orElse(null);
        new RegistryClient(url, token)
                .moveAlias(MODEL, RegistryClient.PRODUCTION, version, current, reason, null);
    }
}
