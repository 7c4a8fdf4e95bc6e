package eagle.gateway;

import eagle.contracts.Topics;
import eagle.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real registry for the gateway's tests: its packaged fast-jar ({@code registry/target/quarkus-app},
 * built before this module because the pom lists eagle-registry as a build-order-only dependency) runs as a
 * child process (profile {@code local}: the DEV-ONLY token key) against the shared test PostgreSQL and Kafka of
 * {@code eagle.infra}. Before the gateway starts, model {@value #SEED_MODEL} gets version 1 blessed and in
 * production, so the gateway loads it at start ({@code gateway.models}).
 *
 * <p>Config it hands the gateway: the registry URL and a {@code registry.read} token, Kafka, a fresh cache
 * folder, a read token for {@code /v1} ({@value #READ_TOKEN}), and a polling interval of one hour, so that a
 * move seen within a test came through Kafka (the polling path is driven explicitly).
 */
public class RegistryProcess implements QuarkusTestResourceLifecycleManager {

    static final String SEED_MODEL = "clip-seed";
    static final String READ_TOKEN = "gateway-test-read-token";
    static final String REGISTRY_URL = "gateway.registry.url";

    private Process process;
    private Path cache;

    static Path moduleDir() {
        Path cwd = Path.of("").toAbsolutePath();
        return Files.exists(cwd.resolve("src/test/java/eagle/gateway")) ? cwd : cwd.resolve("gateway");
    }

    static Path registryModule() {
        return moduleDir().resolveSibling("registry");
    }

    static Path modelsDir() {
        return moduleDir().resolve("target/gateway-test-models");
    }

    @Override
    public Map<String, String> start() {
        Path jar = Path.of(System.getProperty("eagle.registry.jar",
                registryModule().resolve("target/quarkus-app/quarkus-run.jar").toString()));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the registry's fast-jar " + jar + " is missing: run "
                    + "`mvn -q -B -pl gateway -am install -DskipTests` (it packages the registry) first");
        }
        String jdbc = SharedInfra.database("gateway_registry");
        String kafka = SharedInfra.bootstrapServers();
        SharedInfra.createTopic(Topics.REGISTRY_EVENTS, 3, false);
        int port = freePort();
        Path log = moduleDir().resolve("target/registry-process.log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.profile=local",
                "-D%local.quarkus.datasource.jdbc.url=" + jdbc,
                "-Dquarkus.datasource.jdbc.url=" + jdbc,
                "-D%local.kafka.bootstrap.servers=" + kafka,
                "-Dkafka.bootstrap.servers=" + kafka,
                "-Dquarkus.http.port=" + port,
                "-Dregistry.outbox.poll-interval=0.2s",
                "-jar", jar.toString()));
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the registry " + cmd, e);
        }
        String base = "http://localhost:" + port;
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("registry ready on " + base + " (log: " + log + ")")
                .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the registry exited with " + process.exitValue()
                                + "; log:\n" + tail(log));
                    }
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
        String api = base + "/api/v1";
        try {
            new RegistryApi(api).modelInProduction(SEED_MODEL, modelsDir(), 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cache = moduleDir().resolve("target/gateway-cache-test-" + ProcessHandle.current().pid());
        return Map.of(
                REGISTRY_URL, api,
                "gateway.registry.token", RegistryApi.readToken(),
                "kafka.bootstrap.servers", kafka,
                "gateway.cache-dir", cache.toString(),
                "gateway.models", SEED_MODEL,
                "gateway.read-tokens", READ_TOKEN,
                "gateway.poll-interval", "1h");
    }

    @Override
    public void stop() {
        deleteTree(cache);
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
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

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
