package eagle.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fresh folders under {@code target/infra-test/} (not under /tmp) for one test each; the folders of
 * the previous test JVM are deleted first, the unpacked PostgreSQL binaries ({@link #PG_BINARIES})
 * are kept and shared.
 */
final class TestDirs {

    static final Path BASE = Path.of("target", "infra-test").toAbsolutePath();
    static final Path PG_BINARIES = BASE.resolve("pg-bin");

    static {
        QuietLogs.apply();
        try (var old = Files.list(Files.createDirectories(BASE))) {
            old.filter(p -> !p.equals(PG_BINARIES)).forEach(RunFolders::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestDirs() {}

    static Path fresh(String name) {
        try {
            return Files.createTempDirectory(BASE, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
