package eagle.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RunFoldersTest {

    @Test
    void onlyTheFoldersOfRunsWhoseProcessIsGoneAreDeleted() throws Exception {
        Path base = TestDirs.fresh("run-folders");
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        Path dead = Files.createDirectories(base.resolve("run-" + exited.pid()).resolve("kafka"));
        Path alive = Files.createDirectories(RunFolders.ofThisProcess(base));
        Path notARun = Files.createDirectories(base.resolve("run-x"));
        Path binaries = Files.createDirectories(base.resolve("pg-bin"));

        RunFolders.deleteStaleRuns(base);

        assertFalse(Files.exists(dead.getParent()), "a run whose process has exited");
        assertTrue(Files.isDirectory(alive), "this JVM's run");
        assertTrue(Files.isDirectory(notARun), "no pid in its name");
        assertTrue(Files.isDirectory(binaries), "not a run folder");
    }

    @Test
    void aRunFolderIsCreatedEmpty() throws Exception {
        Path base = TestDirs.fresh("run-folders");
        Path run = RunFolders.ofThisProcess(base);
        assertEquals("run-" + ProcessHandle.current().pid(), run.getFileName().toString());
        Files.writeString(Files.createDirectories(run.resolve("postgres")).resolve("f"), "old");

        RunFolders.createEmpty(run);

        assertTrue(Files.isDirectory(run));
        try (Stream<Path> left = Files.list(run)) {
            assertEquals(List.of(), left.toList());
        }
        RunFolders.createEmpty(base.resolve("new/run-1"));
        assertTrue(Files.isDirectory(base.resolve("new/run-1")), "parents are created too");
    }
}
