package eagle.trainer;

import eagle.infra.DevJwt;
import eagle.infra.KafkaTestResource;
import eagle.infra.PostgresTestResource;
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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real registry for the end-to-end test: its packaged fast-jar ({@code registry/target/quarkus-app},
 * system property {@code eagle.registry.jar}) as a child process on the shared test PostgreSQL (database
 * {@code registry}) and Kafka; a DEV-ONLY token minted with the registry's dev key pair; a tiny base encoder
 * and a blob store for the trainer.
 */
public class RegistryProcessResource implements QuarkusTestResourceLifecycleManager {

    static final String TOPIC = "e2e-samples";
    static final String CANDIDATES = "e2e-candidates";
    static final String MODEL = "e2e-encoder";

    private static Process registry;
    static String url;
    static String token;
    static Path work;

    @Override
    public Map<String, String> start() {
        try {
            work = Path.of("target", "e2e-" + System.nanoTime()).toAbsolutePath();
            TestWorld.writeBase(work.resolve("base"));
            String jdbc = PostgresTestResource.jdbcUrl("registry");
            String kafka = KafkaTestResource.bootstrapServers();
            KafkaTestResource.createTopic(TOPIC, 2, false);
            Path jar = Path.of(System.getProperty("eagle.registry.jar", "../registry/target/quarkus-app/quarkus-run.jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no registry fast-jar at " + jar
                        + ": build it with mvn -B -pl registry -am package -DskipTests");
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            url = "http://localhost:" + port;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Dquarkus.profile=local", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.datasource.jdbc.url=" + jdbc, "-Dquarkus.datasource.username=postgres",
                    "-Dquarkus.datasource.password=postgres", "-Dkafka.bootstrap.servers=" + kafka,
                    "-jar", jar.toString());
            pb.redirectErrorStream(true);
            pb.redirectOutput(work.resolve("registry.log").toFile());
            registry = pb.start();
            awaitReady();
            token = DevJwt.mint("eagle-trainer", "registry.read", "registry.register");
            Map<String, String> config = new HashMap<>();
            config.put("eagle.trainer.registry.url", url);
            config.put("eagle.trainer.registry.token", token);
            config.put("eagle.trainer.registry.model", MODEL);
            config.put("eagle.trainer.topic", TOPIC);
            config.put("eagle.trainer.candidates-topic", CANDIDATES);
            config.put("eagle.trainer.group-id", "e2e-trainer");
            config.put("eagle.trainer.state-dir", work.resolve("state").toString());
            config.put("eagle.trainer.blob-root", work.resolve("blobs").toString());
            config.put("eagle.trainer.base-dir", work.resolve("base").toString());
            config.put("eagle.trainer.round.min-samples", "6");
            config.put("eagle.trainer.round.min-classes", "2");
            config.put("eagle.trainer.round.steps", "3");
            config.put("eagle.trainer.round.batch", "4");
            config.put("eagle.trainer.round.rank", "8");
            config.put("eagle.trainer.poll-ms", "100");
            config.put("kafka.bootstrap.servers", kafka);
            return config;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitReady() throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!registry.isAlive()) {
                throw new IllegalStateException("the registry exited: see " + work.resolve("registry.log"));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                registry.waitFor(250, TimeUnit.MILLISECONDS); // poll interval; returns early if it dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the registry did not become ready in 180 s: see " + work.resolve("registry.log"));
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.destroy();
            try {
                if (!registry.waitFor(20, TimeUnit.SECONDS)) {
                    registry.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
