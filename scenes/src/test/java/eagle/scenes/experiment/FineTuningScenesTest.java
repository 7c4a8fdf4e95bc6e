package eagle.scenes.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.scenes.Instance;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.pretrain.CountedScenes;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class FineTuningScenesTest {

    private static final SceneGenerator WORLD = SceneGenerator.standard(64);
    private static final long FIRST = Experiment.TRAIN_SEED_BASE;

    @Test
    void noneCountedAreTheWorldsScenesOfTheSeeds() {
        LongFunction<Scene> scenes = FineTuningScenes.STANDARD.from(WORLD, FIRST);
        for (long i = 0; i < 8; i++) {
            Scene expected = WORLD.generate(FIRST + i);
            Scene actual = scenes.apply(i);
            assertEquals(expected.caption(), actual.caption());
            assertEquals(expected.instances().size(), actual.instances().size());
        }
    }

    @Test
    void aQuarterCountedIsEveryFourthImageWithTheOthersUnchanged() {
        LongFunction<Scene> scenes = new FineTuningScenes(null, 0.25).from(WORLD, FIRST);
        int counted = 0;
        for (long i = 0; i < 40; i++) {
            Scene scene = scenes.apply(i);
            if (i % 4 == 3) {
                counted++;
                int n = scene.instances().size();
                assertTrue(
                        n >= CountedScenes.MIN_COPIES && n <= CountedScenes.MAX_COPIES,
                        "copies " + n);
                int cls = scene.instances().get(0).classId();
                for (Instance instance : scene.instances()) {
                    assertEquals(cls, instance.classId(), "one class per counted scene");
                }
                assertEquals("counted", scene.sceneType());
            } else {
                assertEquals(WORLD.generate(FIRST + i).caption(), scene.caption());
            }
        }
        assertEquals(10, counted);
    }

    @Test
    void aFractionOutsideZeroToOneIsRefused() {
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class, () -> new FineTuningScenes(null, bad));
            assertTrue(e.getMessage().contains("--train-counted"), e.getMessage());
        }
    }
}
