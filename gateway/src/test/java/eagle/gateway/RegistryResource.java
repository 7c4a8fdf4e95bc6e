package eagle.gateway;

import eagle.contracts.Topics;
import eagle.infra.RegistryProcess;
import eagle.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real registry for the gateway's tests ({@link RegistryProcess}: its packaged fast-jar, built
 * before this module because the pom lists eagle-registry as a build-order-only dependency, on the
 * shared test PostgreSQL and Kafka of {@code eagle.infra}). Before the gateway starts, model
 * {@value #SEED_MODEL} gets version 1 blessed and in production, so the gateway loads it at start
 * ({@code eagle.gateway.models}).
 *
 * <p>Config it hands the gateway: the registry URL and a {@code registry.read} token, Kafka, a
 * fresh cache folder, a read token for {@code /v1} ({@value #READ_TOKEN}), and a polling interval
 * of one hour, so that a move seen within a test came through Kafka (the polling path is driven
 * explicitly).
 */
public class RegistryResource implements QuarkusTestResourceLifecycleManager {

    static final String SEED_MODEL = "clip-seed";
    static final String READ_TOKEN = "gateway-test-read-token";
    static final String REGISTRY_URL = "eagle.gateway.registry.url";

    private RegistryProcess registry;
    private Path cache;

    static Path moduleDir() {
        Path cwd = Path.of("").toAbsolutePath();
        return Files.exists(cwd.resolve("src/test/java/eagle/gateway"))
                ? cwd
                : cwd.resolve("gateway");
    }

    static Path modelsDir() {
        return moduleDir().resolve("target/gateway-test-models");
    }

    @Override
    public Map<String, String> start() {
        SharedInfra.createTopic(Topics.REGISTRY_EVENTS, 3, false);
        registry =
                RegistryProcess.start(
                        "gateway_registry",
                        moduleDir().resolve("target/registry-process.log"),
                        Map.of("eagle.registry.outbox.poll-interval", "0.2s"));
        String kafka = SharedInfra.bootstrapServers();
        String api = registry.url() + "/api/v1";
        try {
            new RegistryApi(api).modelInProduction(SEED_MODEL, modelsDir(), 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cache = moduleDir().resolve("target/gateway-cache-test-" + ProcessHandle.current().pid());
        return Map.of(
                REGISTRY_URL,
                registry.url(),
                "eagle.gateway.registry.token",
                RegistryApi.readToken(),
                "kafka.bootstrap.servers",
                kafka,
                "eagle.gateway.cache-dir",
                cache.toString(),
                "eagle.gateway.models",
                SEED_MODEL,
                "eagle.gateway.read-tokens",
                READ_TOKEN,
                "eagle.gateway.poll-interval",
                "1h");
    }

    @Override
    public void stop() {
        deleteTree(cache);
        if (registry != null) {
            registry.close();
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the test cache " + root, e);
        }
    }
}
