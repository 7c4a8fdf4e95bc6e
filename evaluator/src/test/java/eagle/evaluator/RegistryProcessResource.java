package eagle.evaluator;

import eagle.evaluator.api.EvaluatorResource;
import eagle.infra.DevJwt;
import eagle.infra.RegistryProcess;
import eagle.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real registry for the evaluator's tests ({@link RegistryProcess}: its packaged fast-jar on
 * the shared test PostgreSQL and Kafka of {@code eagle.infra}, profile {@code test}, the DEV-ONLY
 * token key). Tokens are minted with {@code eagle.infra.DevJwt} (the DEV-ONLY key). Also writes the
 * base encoder the evaluator uses.
 */
public class RegistryProcessResource implements QuarkusTestResourceLifecycleManager {

    static volatile String url;
    static volatile String registerToken;
    static volatile String evaluatorToken;

    /** role evaluator.operate: the evaluator's own write endpoints */
    static volatile String operatorToken;

    static volatile Path baseDir;

    private RegistryProcess registry;

    @Override
    public Map<String, String> start() {
        try {
            // a fresh metric cache and report folder each run, so the tests really score the
            // encoders
            deleteTree(Path.of("target", "evaluator-work"));
            Map<String, String> kafka = SharedInfra.kafkaConfig();
            registry = RegistryProcess.start("registry", Path.of("target", "registry-process.log"));
            url = registry.url();
            registerToken = DevJwt.mint("trainer", "registry.register", "registry.read");
            evaluatorToken =
                    DevJwt.mint(
                            "evaluator", "registry.read", "registry.evaluate", "registry.alias");
            operatorToken = DevJwt.mint("operator", EvaluatorResource.OPERATE);
            baseDir = TestEncoders.base(Path.of("target", "test-base").toAbsolutePath());

            Map<String, String> config = new HashMap<>(kafka);
            config.put("eagle.evaluator.registry.url", url);
            config.put("eagle.evaluator.registry.token", evaluatorToken);
            config.put("eagle.evaluator.base-dir", baseDir.toString());
            return config;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the registry: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close();
        }
    }
}
