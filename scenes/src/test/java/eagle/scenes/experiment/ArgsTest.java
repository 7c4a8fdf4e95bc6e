package eagle.scenes.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.scenes.pretrain.Pretrain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void readsValuesAndFallsBackToTheDefault() {
        Args args =
                Args.parse(
                        new String[] {"--steps", "12", "--lr", "2e-4"},
                        Set.of("steps", "lr", "out"));
        assertEquals(12, args.getInt("steps", 1));
        assertEquals(2e-4, args.getDouble("lr", 1), 0);
        assertEquals("fallback", args.get("out", "fallback"));
        assertTrue(args.has("lr"));
        assertFalse(args.has("out"));
    }

    @Test
    void anUnknownOptionNamesTheKnownOnesInOrder() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Args.parse(
                                        new String[] {"--stpes", "5"},
                                        Set.of("steps", "batch", "lr")));
        assertEquals("unknown option '--stpes'; known: --batch, --lr, --steps", e.getMessage());
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Args.parse(new String[] {"--steps"}, Set.of("steps")));
        assertEquals("option --steps needs a value", missing.getMessage());
        Args args = Args.parse(new String[] {"--steps", "x"}, Set.of("steps"));
        assertEquals(
                "--steps must be a whole number, got 'x'",
                assertThrows(IllegalArgumentException.class, () -> args.getInt("steps", 1))
                        .getMessage());
    }

    @Test
    void aBadOptionEndsPretrainAndExperimentWithStatusTwoAndOneLine() throws Exception {
        assertUsageError(
                List.of(Pretrain.class.getName(), "--stpes", "5"),
                "pretrain: unknown option '--stpes'");
        assertUsageError(
                List.of(Pretrain.class.getName(), "--steps", "x"),
                "pretrain: --steps must be a whole number, got 'x'");
        assertUsageError(
                List.of(Pretrain.class.getName(), "--described", "2"),
                "pretrain: --described must be in [0, 1], got 2.0");
        assertUsageError(
                List.of(Pretrain.class.getName(), "--counted", "-0.5"),
                "pretrain: --counted must be in [0, 1], got -0.5");
        assertUsageError(
                List.of(Pretrain.class.getName(), "--caption-objects", "-1"),
                "pretrain: --caption-objects and --caption-classes must be at least 0 (0 names every"
                        + " object), got -1 and 0");
        assertUsageError(
                List.of(Pretrain.class.getName(), "--init", "no-such-base"),
                "pretrain: --init no-such-base: no base encoder there");
        assertUsageError(
                List.of(Experiment.class.getName(), "--out", "x", "--lr", "fast"),
                "experiment: --lr must be a number, got 'fast'");
        assertUsageError(
                List.of(Experiment.class.getName(), "--out", "x", "--mmvp", "sideways"),
                "experiment: --mmvp must be max-patch, mean-patch or cls, got 'sideways'");
        assertUsageError(
                List.of(Experiment.class.getName(), "--out", "x", "--mmvp", "cls", "--rounds", "2"),
                "experiment: --mmvp does not go with --rounds");
        // once read outside the option check, so a bad value was a stack trace
        assertUsageError(
                List.of(Experiment.class.getName(), "--out", "x", "--rounds", "five"),
                "experiment: --rounds must be a whole number, got 'five'");
        assertUsageError(
                List.of(Experiment.class.getName(), "--out", "x", "--base", "no-such-base"),
                "experiment: --base no-such-base: no base encoder there");
    }

    /** Runs a main in its own JVM: exit status 2, one line on standard error that starts so. */
    private static void assertUsageError(List<String> mainAndArgs, String expectedStart)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command =
                new java.util.ArrayList<>(
                        List.of(java, "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        Process process =
                new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not exit");
        assertEquals(2, process.exitValue(), stderr);
        List<String> lines = stderr.lines().toList();
        assertEquals(1, lines.size(), stderr);
        assertTrue(lines.get(0).startsWith(expectedStart), stderr);
    }
}
