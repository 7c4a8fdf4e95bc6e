package eagle.scenes.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.scenes.SceneGenerator;
import eagle.scenes.SeedRanges;
import org.junit.jupiter.api.Test;

/**
 * The mix of pre-training scenes: the salient-caption rule shortens only the generator's scenes;
 * described and counted scenes keep the captions they were made with.
 */
class TrainingScenesTest {

    private final SceneGenerator generator = SceneGenerator.standard(64);
    private final SalientCaptions oneObject = new SalientCaptions(generator.taxonomy(), 1, 0);

    @Test
    void countedScenesKeepTheirCountsUnderTheOneObjectRule() {
        TrainingScenes scenes = new TrainingScenes(generator, 0.5, 0.5, oneObject);
        int counted = 0;
        int described = 0;
        for (long i = 0; i < 400; i++) {
            TrainingScenes.Captioned c = scenes.get(i);
            String layout = c.scene().sceneType();
            if (layout.equals("counted")) {
                counted++;
                assertTrue(c.scene().instances().size() >= 2, c.caption());
                assertEquals(c.scene().caption(), c.caption(), "the count is kept");
            } else if (layout.equals("described")) {
                described++;
                assertEquals(c.scene().caption(), c.caption());
            } else {
                assertEquals(oneObject.caption(c.scene()), c.caption(), "seed " + i);
            }
        }
        // half the seeds described, half of those counted
        assertEquals(100, counted);
        assertEquals(100, described);
    }

    @Test
    void noCountedFractionLeavesTheDescribedScenesAsTheyWere() {
        TrainingScenes scenes = new TrainingScenes(generator, 0.3, 0, oneObject);
        DescribedScenes described = new DescribedScenes(generator);
        for (long i = 0; i < 100; i++) {
            if (SeedRanges.evenlySpread(i, 0.3)) {
                assertEquals(described.generate(i).caption(), scenes.get(i).caption());
            } else {
                assertEquals(
                        oneObject.caption(generator.generate(i)),
                        scenes.get(i).caption(),
                        "seed " + i + ": the generator's scene under the one-object rule");
            }
        }
    }

    @Test
    void fractionsOutsideZeroToOneAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new TrainingScenes(generator, 1.5, 0, oneObject));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TrainingScenes(generator, 0.3, -0.1, oneObject));
    }
}
