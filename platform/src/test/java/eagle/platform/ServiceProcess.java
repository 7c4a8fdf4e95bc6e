package eagle.platform;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service of the platform as a child JVM (its packaged fast-jar), with its own log file that
 * restarts append to. {@link #kill9()} is {@code kill -9}: {@link Process#destroyForcibly()} sends
 * SIGKILL on Linux.
 */
final class ServiceProcess {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    private final List<String> command;
    private final Path workDir;
    private final Path log;
    private Process process;
    private int starts;

    ServiceProcess(String name, int port, List<String> command, Path workDir, Path log) {
        this.name = name;
        this.port = port;
        this.command = List.copyOf(command);
        this.workDir = workDir;
        this.log = log;
    }

    String url() {
        return "http://localhost:" + port;
    }

    Path log() {
        return log;
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(
                    name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "==== start " + (++starts) + " ====\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process =
                    new ProcessBuilder(command)
                            .directory(workDir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200; fails at once when the process exits. */
    void awaitReady(Duration atMost) {
        await(name + " ready on " + url() + " (log " + log + ")")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> {
                            if (!isAlive()) {
                                throw new IllegalStateException(
                                        name
                                                + " exited with "
                                                + process.exitValue()
                                                + "; log tail:\n"
                                                + tail(40));
                            }
                            return ready();
                        });
    }

    boolean ready() {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, and wait until the process is gone. */
    synchronized void kill9() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitGone(30);
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitGone(30)) {
            process.destroyForcibly();
            waitGone(10);
        }
    }

    private boolean waitGone(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name + " " + url();
    }
}
