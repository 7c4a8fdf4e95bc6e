package eagle.trainer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A headless trainer ({@link TrainerMain}) in a child JVM whose log lines the test can wait for.
 */
final class ChildTrainer implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Path log;

    ChildTrainer(Properties config, Path workDir, String name) throws IOException {
        Files.createDirectories(workDir);
        Path props = workDir.resolve(name + ".properties");
        try (var out = Files.newBufferedWriter(props)) {
            config.store(out, "trainer child " + name);
        }
        log = workDir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb =
                new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dai.djl.offline=true",
                        "-Dai.djl.pytorch.num_threads=1",
                        "-Dai.djl.pytorch.num_interop_threads=1",
                        "-Dorg.jboss.logging.provider=jdk",
                        "eagle.trainer.TrainerMain",
                        props.toString());
        pb.redirectErrorStream(true);
        process = pb.start();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            process.getInputStream(),
                                                            StandardCharsets.UTF_8));
                                    var out = Files.newBufferedWriter(log)) {
                                String line;
                                while ((line = in.readLine()) != null) {
                                    out.write(line);
                                    out.newLine();
                                    out.flush();
                                    synchronized (lines) {
                                        lines.add(line);
                                        lines.notifyAll();
                                    }
                                }
                            } catch (IOException e) {
                                // the process was killed: its output ends
                            }
                            synchronized (lines) {
                                lines.add("<eof>");
                                lines.notifyAll();
                            }
                        },
                        "child-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Blocks until a line matching {@code regex} appears (or fails after {@code seconds}, or at
     * exit).
     */
    String await(String regex, long seconds) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    String line = lines.get(seen);
                    if (p.matcher(line).find()) {
                        return line;
                    }
                    if (line.equals("<eof>")) {
                        throw new AssertionError(
                                "trainer exited before '" + regex + "'; log " + log);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(
                            "no '" + regex + "' within " + seconds + " s; log " + log);
                }
                lines.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    boolean logged(String regex) {
        Pattern p = Pattern.compile(regex);
        synchronized (lines) {
            return lines.stream().anyMatch(l -> p.matcher(l).find());
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no cleanup. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
