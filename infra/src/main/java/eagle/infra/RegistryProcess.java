package eagle.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real registry for other modules' tests: its packaged fast-jar ({@code
 * registry/target/quarkus-app}, built with {@code mvn -pl registry -am package -DskipTests}; or the
 * system property {@value #JAR_PROPERTY}) as a child process, profile {@code test} (the DEV-ONLY
 * token key, see {@link DevJwt}), on the shared PostgreSQL and Kafka of {@link SharedInfra}. {@link
 * #start} returns once {@code /q/health/ready} answers 200; {@link #close} stops the process.
 */
public final class RegistryProcess implements AutoCloseable {

    /**
     * System property naming the registry's {@code quarkus-run.jar} (default: found from the
     * working folder).
     */
    public static final String JAR_PROPERTY = "eagle.registry.jar";

    private static final Duration READY_WITHIN = Duration.ofMinutes(3);

    private final Process process;
    private final String url;
    private final Path log;

    private RegistryProcess(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Starts the registry on database {@code database}, its output in {@code log}. */
    public static RegistryProcess start(String database, Path log) {
        return start(database, log, Map.of());
    }

    /**
     * Starts the registry on database {@code database}, its output in {@code log}, with extra
     * system properties (e.g. {@code eagle.registry.outbox.poll-interval}).
     */
    public static RegistryProcess start(String database, Path log, Map<String, String> properties) {
        Path jar = packagedJar();
        Map<String, String> config = new LinkedHashMap<>(SharedInfra.postgresConfig(database));
        config.put("kafka.bootstrap.servers", SharedInfra.bootstrapServers());
        config.putAll(properties);
        int port = FreePorts.find();
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx384m",
                                "-XX:TieredStopAtLevel=1",
                                "-Dquarkus.profile=test",
                                "-Dquarkus.http.port=" + port));
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        Path logFile = log.toAbsolutePath();
        Process process;
        try {
            Files.createDirectories(logFile.getParent());
            // the registry module's folder as working folder, as when it runs from its own module
            Path registryModule = jar.getParent().getParent().getParent();
            process =
                    new ProcessBuilder(cmd)
                            .directory(registryModule.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(logFile.toFile())
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the registry " + cmd, e);
        }
        RegistryProcess registry =
                new RegistryProcess(process, "http://localhost:" + port, logFile);
        try {
            registry.awaitReady();
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /**
     * The registry's {@code quarkus-run.jar}: {@value #JAR_PROPERTY}, else {@code
     * registry/target/quarkus-app} here or above.
     */
    public static Path packagedJar() {
        String configured = System.getProperty(JAR_PROPERTY);
        if (configured != null) {
            return requireJar(Path.of(configured).toAbsolutePath());
        }
        Path relative = Path.of("registry", "target", "quarkus-app", "quarkus-run.jar");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
            if (Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("registry"))) {
                break; // the repository root: nothing further up is ours
            }
        }
        return requireJar(
                Path.of("")
                        .toAbsolutePath()
                        .resolveSibling("registry")
                        .resolve("target/quarkus-app/quarkus-run.jar"));
    }

    private static Path requireJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "no packaged registry at "
                            + jar
                            + ": run mvn -q -B -pl registry -am package -DskipTests first");
        }
        return jar;
    }

    /**
     * The registry's base URL, {@code http://localhost:<port>} (the API is under {@code /api/v1}).
     */
    public String url() {
        return url;
    }

    /** The file the registry writes its output to. */
    public Path log() {
        return log;
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest ready =
                HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5))
                        .build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the registry exited with "
                                + process.exitValue()
                                + "; log "
                                + log
                                + ":\n"
                                + tail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
            try {
                process.waitFor(
                        250, TimeUnit.MILLISECONDS); // the poll interval; returns early if it dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
        }
        throw new IllegalStateException(
                "the registry did not become ready within "
                        + READY_WITHIN
                        + "; log "
                        + log
                        + ":\n"
                        + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
