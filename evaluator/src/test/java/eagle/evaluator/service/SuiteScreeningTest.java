package eagle.evaluator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import eagle.core.eval.Bootstrap;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.suite.NegativeSampling;
import eagle.scenes.suite.PopeQuestion;
import eagle.scenes.suite.PopeSet;
import eagle.scenes.suite.Suite;
import eagle.scenes.suite.SuiteConfig;
import eagle.scenes.suite.SuiteResult;
import eagle.scenes.suite.SuiteRunner;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Images the evaluator cannot use are left out and counted; the rest of the suite still runs. */
class SuiteScreeningTest {

    private static final Suite SUITE =
            Suite.build(SceneGenerator.standard(), new SuiteConfig(6, 4, 3, 1, 50));

    private static Scene with(Scene s, BufferedImage image, List<eagle.scenes.Instance> instances) {
        return new Scene(s.seed(), image, instances, s.caption(), s.sceneType(), s.background());
    }

    @Test
    void aUsableSuiteIsKeptAsItIs() {
        SuiteScreening.Screened s = SuiteScreening.screen(SUITE);
        assertSame(SUITE, s.suite());
        assertEquals(Map.of(), s.skipped());
    }

    @Test
    void unusableImagesAreLeftOutCountedAndTheirQuestionsFollow() {
        List<Scene> zeroShot = new ArrayList<>(SUITE.zeroShot());
        zeroShot.set(
                1,
                with(
                        zeroShot.get(1),
                        zeroShot.get(1).image(),
                        List.of())); // its label's object is gone
        List<Scene> pope = new ArrayList<>(SUITE.pope().images());
        pope.set(0, with(pope.get(0), null, pope.get(0).instances())); // no pixels
        Suite broken =
                new Suite(
                        SUITE.id(),
                        SUITE.config(),
                        SUITE.taxonomy(),
                        zeroShot,
                        new PopeSet(pope, SUITE.pope().questions()),
                        SUITE.calibration(),
                        SUITE.mmvp(),
                        SUITE.stats());

        SuiteScreening.Screened s = SuiteScreening.screen(broken);

        assertEquals(Map.of("zeroshot.no_object", 1, "pope.no_image", 1), s.skipped());
        assertEquals(SUITE.id(), s.suite().id());
        assertEquals(5, s.suite().zeroShot().size());
        assertEquals(SUITE.pope().images().subList(1, 4), s.suite().pope().images());
        for (NegativeSampling n : NegativeSampling.values()) {
            List<PopeQuestion> expected =
                    SUITE.pope().questions(n).stream()
                            .filter(q -> q.imageIndex() != 0)
                            .map(q -> new PopeQuestion(q.imageIndex() - 1, q.classId(), q.truth()))
                            .toList();
            assertEquals(expected, s.suite().pope().questions(n), n.name());
        }

        // never fatal: the screened suite runs
        SuiteResult r =
                SuiteRunner.run(
                        new ColourEncoder(),
                        s.suite(),
                        new SuiteRunner.Options(
                                8,
                                SuiteRunner.MmvpRepresentation.MAX_PATCH,
                                new Bootstrap.Options(20, 0.95, 0)));
        assertEquals(5, r.counts().get("zeroshot_images"));
        assertEquals(3, r.counts().get("pope_images"));
    }
}
