package eagle.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The {@code run-<pid>} folders of {@link SharedInfra} under its base folder: one per JVM, made
 * empty when the JVM starts its servers and deleted at its shutdown; the folders of runs whose
 * process is gone are deleted at the next start. Other entries of the base folder (the unpacked
 * PostgreSQL binaries in {@code pg-bin}) are left alone.
 */
final class RunFolders {

    private RunFolders() {}

    /** This JVM's run folder under {@code base} (not created). */
    static Path ofThisProcess(Path base) {
        return base.resolve("run-" + ProcessHandle.current().pid());
    }

    /** Deletes whatever {@code dir} holds and creates it empty. */
    static void createEmpty(Path dir) {
        deleteTree(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /**
     * Deletes the {@code run-<pid>} folders under {@code base} whose process is no longer alive.
     */
    static void deleteStaleRuns(Path base) {
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> runs = Files.list(base)) {
            runs.filter(p -> p.getFileName().toString().startsWith("run-"))
                    .filter(
                            p -> {
                                try {
                                    long pid =
                                            Long.parseLong(p.getFileName().toString().substring(4));
                                    return ProcessHandle.of(pid)
                                            .map(h -> !h.isAlive())
                                            .orElse(true);
                                } catch (NumberFormatException e) {
                                    return false;
                                }
                            })
                    .forEach(RunFolders::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
    }

    /** Deletes {@code root} and everything below it; nothing when it does not exist. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
