package eagle.console;

import eagle.contracts.Topics;
import eagle.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The real registry for the console's browser tests: its packaged fast-jar ({@code
 * registry/target/quarkus-app}) as a child process (profile {@code local}: DEV-ONLY token key) on
 * the shared test PostgreSQL and Kafka of {@code eagle.infra}, seeded by {@link RegistrySeed}. The
 * console is pointed at it with a read token; the other services are left unconfigured (the page
 * shows them as such and never calls them).
 */
public class RegistryForConsole implements QuarkusTestResourceLifecycleManager {

    static volatile String registryUrl;

    private Process process;

    static Path moduleDir() {
        Path cwd = Path.of("").toAbsolutePath();
        return Files.exists(cwd.resolve("src/test/java/eagle/console"))
                ? cwd
                : cwd.resolve("console");
    }

    @Override
    public Map<String, String> start() {
        Path jar =
                moduleDir()
                        .resolveSibling("registry")
                        .resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    "the registry's fast-jar "
                            + jar
                            + " is missing: run "
                            + "`mvn -q -B -pl console -am install -DskipTests` (it packages the registry) first");
        }
        String jdbc = SharedInfra.database("console_registry");
        String kafka = SharedInfra.bootstrapServers();
        SharedInfra.createTopic(Topics.REGISTRY_EVENTS, 3, false);
        int port = freePort();
        Path log = moduleDir().resolve("target/registry-process.log");
        List<String> cmd =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m",
                        "-XX:TieredStopAtLevel=1",
                        "-Dquarkus.profile=local",
                        "-D%local.quarkus.datasource.jdbc.url=" + jdbc,
                        "-Dquarkus.datasource.jdbc.url=" + jdbc,
                        "-D%local.kafka.bootstrap.servers=" + kafka,
                        "-Dkafka.bootstrap.servers=" + kafka,
                        "-Dquarkus.http.port=" + port,
                        "-jar",
                        jar.toString());
        try {
            Files.createDirectories(log.getParent());
            process =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the registry " + cmd, e);
        }
        String base = "http://localhost:" + port;
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("registry ready on " + base + " (log: " + log + ")")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException(
                                        "the registry exited with "
                                                + process.exitValue()
                                                + "; see "
                                                + log);
                            }
                            try {
                                return http.send(
                                                        HttpRequest.newBuilder(
                                                                        URI.create(
                                                                                base
                                                                                        + "/q/health/ready"))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.discarding())
                                                .statusCode()
                                        == 200;
                            } catch (IOException e) {
                                return false;
                            }
                        });
        registryUrl = base;
        new RegistrySeed(base + "/api/v1").seed();
        return Map.of(
                "eagle.console.model", RegistrySeed.MODEL,
                "eagle.console.services.registry.url", base,
                "eagle.console.services.registry.read-token", RegistrySeed.READ,
                "eagle.console.services.ingest.url", "",
                "eagle.console.services.trainer.url", "",
                "eagle.console.services.evaluator.url", "",
                "eagle.console.services.gateway.url", "");
    }

    @Override
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
