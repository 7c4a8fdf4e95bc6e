package eagle.scenes.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.train.TrainingConfig;
import eagle.scenes.SceneConfig;
import eagle.scenes.suite.SuiteRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentOptionsTest {

    @Test
    void theSingleRunsDefaultsAreTheRecipesTwoArmsOnCountedScenes() {
        ExperimentOptions o = ExperimentOptions.parse(new String[] {"--out", "x"});
        assertEquals(Path.of("x"), o.out());
        assertNull(o.rounds());
        assertNull(o.heldOut());
        assertEquals(
                java.util.List.of("eagle_galore", "eagle_full"),
                o.arms().stream().map(Arm::name).toList());
        TrainingConfig recipe = TrainingConfig.recipe(TrainingConfig.DEFAULT_EXPERIMENT_STEPS);
        assertEquals(recipe.lr(), o.arms().get(0).config().lr());
        assertEquals(42, o.arms().get(0).config().seed());
        assertEquals(FineTuningScenes.DEFAULT_COUNTED, o.scenes().counted());
        assertEquals(4000, o.trainImages());
        assertEquals(SuiteRunner.MmvpRepresentation.MAX_PATCH, o.mmvp());
        assertEquals(EmbeddedBase.standard(), o.base());
    }

    @Test
    void roundsTakeTheFirstArmAndTheirOwnOptions() {
        ExperimentOptions o =
                ExperimentOptions.parse(
                        new String[] {
                            "--out", "x", "--rounds", "3", "--arms", "a:lr=1e-4;b:lr=2e-4",
                            "--round-images", "200", "--anchor", "base", "--train-counted", "0"
                        });
        ExperimentOptions.Rounds r = o.rounds();
        assertEquals("a", r.arm().name());
        assertEquals(1e-4, r.arm().config().lr());
        assertEquals(3, r.count());
        assertEquals(200, r.roundImages());
        assertEquals(256, r.buffer());
        assertEquals(ContinualRounds.Anchor.BASE, r.anchor());
        assertEquals(RoundGate.defaults(), r.gate());
        assertEquals(0.0, o.scenes().counted());
        // without --arms the rounds train eagle_galore
        assertEquals(
                "eagle_galore",
                ExperimentOptions.parse(new String[] {"--out", "x", "--rounds", "2"})
                        .rounds()
                        .arm()
                        .name());
    }

    @Test
    void badOptionsAreNamedBeforeAnyWork(@TempDir Path dir) throws Exception {
        assertMessage("--out DIR is required", "--steps", "5");
        assertMessage("--rounds must be at least 1, got 0", "--out", "x", "--rounds", "0");
        assertMessage(
                "--buffer must be a whole number", "--out", "x", "--rounds", "2", "--buffer", "b");
        assertMessage(
                "--held-out-classes applies to the single run",
                "--out",
                "x",
                "--rounds",
                "2",
                "--held-out-classes",
                "balanced");
        Path missing = dir.resolve("gate.json");
        assertMessage(
                "--gate " + missing + ": cannot read it",
                "--out",
                "x",
                "--rounds",
                "2",
                "--gate",
                missing.toString());
        Files.writeString(missing, "{\"zeroshot_cls\": \"much\"}");
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ExperimentOptions.parse(
                                new String[] {
                                    "--out", "x", "--rounds", "2", "--gate", missing.toString()
                                }));
        assertMessage(
                "--base " + dir + ": no base encoder there",
                "--out",
                "x",
                "--base",
                dir.toString());
    }

    @Test
    void trainObjectsSetsTheTrainingScenesObjectCountAndBadSpecsAreNamed() {
        SceneConfig dense = ExperimentOptions.trainObjects("3..8");
        assertEquals(3, dense.minObjects());
        assertEquals(8, dense.maxObjects());
        // everything else is the standard world's
        assertEquals(SceneConfig.ofSize(64).withObjects(3, 8), dense);
        assertNull(ExperimentOptions.trainObjects(null));
        for (String bad : new String[] {"3-8", "3..", "..8", "a..b", "3..8..9", "0..2", "5..2"}) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> ExperimentOptions.trainObjects(bad),
                            bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    private static void assertMessage(String start, String... argv) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ExperimentOptions.parse(argv));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
