package eagle.evaluator;

import eagle.evaluator.api.EvaluatorResource;
import eagle.infra.DevJwt;
import eagle.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The real registry for the evaluator's tests: its packaged fast-jar ({@code registry/target/quarkus-app}, built by
 * {@code mvn -pl registry -am package -DskipTests}) as a child process on the shared test PostgreSQL and Kafka
 * of {@code eagle.infra}, profile {@code test} (the DEV-ONLY token key). Tokens are minted with
 * {@code eagle.infra.DevJwt} (the DEV-ONLY key). Also writes the base encoder the evaluator uses.
 */
public class RegistryProcessResource implements QuarkusTestResourceLifecycleManager {

    static volatile String url;
    static volatile String registerToken;
    static volatile String evaluatorToken;
    /** role evaluator.operate: the evaluator's own write endpoints */
    static volatile String operatorToken;
    static volatile Path baseDir;

    private Process registry;

    @Override
    public Map<String, String> start() {
        try {
            Path repo = Path.of(System.getProperty("eagle.repo.dir", "..")).toAbsolutePath().normalize();
            Path app = repo.resolve("registry/target/quarkus-app");
            if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
                throw new IllegalStateException("no packaged registry at " + app
                        + ": run mvn -q -B -pl registry -am package -DskipTests first");
            }
            // a fresh metric cache and report folder each run, so the tests really score the encoders
            deleteTree(Path.of("target", "evaluator-work"));
            Map<String, String> pg = SharedInfra.postgresConfig("registry");
            Map<String, String> kafka = SharedInfra.kafkaConfig();
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
                    "-Dquarkus.profile=test", "-Dquarkus.http.port=" + port,
                    "-Dkafka.bootstrap.servers=" + kafka.get("kafka.bootstrap.servers")));
            pg.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(app.resolve("quarkus-run.jar").toString());
            Path log = Path.of("target", "registry-process.log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            registry = new ProcessBuilder(cmd).directory(repo.resolve("registry").toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            url = "http://localhost:" + port;
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await("registry ready (log: " + log + ")").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        if (!registry.isAlive()) {
                            throw new IllegalStateException("registry exited: " + Files.readString(log));
                        }
                        try {
                            return http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                        } catch (IOException e) {
                            return false;
                        }
                    });
            registerToken = DevJwt.mint("trainer", "registry.register", "registry.read");
            evaluatorToken = DevJwt.mint("evaluator", "registry.read", "registry.evaluate", "registry.alias");
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
            registry.destroy();
            try {
                if (!registry.waitFor(20, TimeUnit.SECONDS)) {
                    registry.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                registry.destroyForcibly();
            }
        }
    }
}
