package eagle.scenes.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.scenes.Background;
import eagle.scenes.Captions;
import eagle.scenes.Instance;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A salient caption names one of the scene's own objects and its background, the same one each time
 * for a scene, and not always the first one drawn; scenes with no more objects than asked keep
 * their caption.
 */
class SalientCaptionsTest {

    private final SceneGenerator generator = SceneGenerator.standard(64);
    private final SalientCaptions one = new SalientCaptions(generator.taxonomy(), 1, 0);

    @Test
    void oneObjectNamedIsOneOfTheScenesOwnOnItsBackground() {
        int multiClass = 0;
        int notFirst = 0;
        for (long seed = 0; seed < 300; seed++) {
            Scene scene = generator.generate(seed);
            String caption = one.caption(scene);
            if (scene.instances().size() == 1) {
                assertEquals(scene.caption(), caption, "one object keeps its caption");
                continue;
            }
            // the caption a user would write for each object alone, spelled out here by hand
            String phrase = Background.ofWord(scene.background()).phrase();
            List<String> allowed = new ArrayList<>();
            for (Instance instance : scene.instances()) {
                allowed.add(alone(instance.className()) + " " + phrase);
            }
            assertTrue(allowed.contains(caption), caption + " not among " + allowed);
            assertEquals(caption, one.caption(scene), "the same scene, the same caption");
            if (scene.presentClasses().size() > 1) {
                multiClass++;
                assertNotEquals(scene.caption(), caption, "a multi-class scene loses objects");
                if (!caption.equals(allowed.get(0))) {
                    notFirst++;
                }
            }
        }
        assertTrue(multiClass > 50, "scenes with several classes: " + multiClass);
        // drawn at random: with two or more classes the first object is named at most half the time
        assertTrue(notFirst > multiClass / 3, notFirst + " of " + multiClass + " not the first");
    }

    @Test
    void oneClassNamedIsOneOfTheScenesClassesWithItsCount() {
        SalientCaptions oneClass = new SalientCaptions(generator.taxonomy(), 0, 1);
        int multiClass = 0;
        int repeated = 0;
        for (long seed = 0; seed < 300; seed++) {
            Scene scene = generator.generate(seed);
            String caption = oneClass.caption(scene);
            if (scene.presentClasses().size() == 1) {
                assertEquals(scene.caption(), caption, "one class keeps its caption");
                continue;
            }
            multiClass++;
            String phrase = Background.ofWord(scene.background()).phrase();
            List<String> allowed = new ArrayList<>();
            for (int classId : scene.presentClasses()) {
                long n = scene.instances().stream().filter(i -> i.classId() == classId).count();
                String counted =
                        n == 1
                                ? alone(generator.taxonomy().get(classId).name())
                                : Captions.count((int) n)
                                        + " "
                                        + generator.taxonomy().get(classId).plural();
                allowed.add(counted + " " + phrase);
                if (n > 1 && caption.equals(counted + " " + phrase)) {
                    repeated++;
                }
            }
            assertTrue(allowed.contains(caption), caption + " not among " + allowed);
            assertEquals(caption, oneClass.caption(scene), "the same scene, the same caption");
        }
        assertTrue(multiClass > 50, "scenes with several classes: " + multiClass);
        assertTrue(repeated > 0, "a named class seen more than once keeps its count");
    }

    @Test
    void zeroNamesEveryObject() {
        SalientCaptions all = new SalientCaptions(generator.taxonomy(), 0, 0);
        for (long seed = 0; seed < 50; seed++) {
            Scene scene = generator.generate(seed);
            assertEquals(scene.caption(), all.caption(scene));
        }
    }

    @Test
    void aNegativeCountIsRefused() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new SalientCaptions(generator.taxonomy(), -1, 0));
        assertTrue(e.getMessage().contains("--caption-objects"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new SalientCaptions(generator.taxonomy(), 0, -1));
    }

    @Test
    void bothLimitsAtOnceAreRefusedRatherThanOneSilentlyIgnored() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new SalientCaptions(generator.taxonomy(), 1, 2));
        assertTrue(e.getMessage().contains("alternatives"), e.getMessage());
    }

    /** "a red triangle", "an orange disc", written out here rather than taken from Captions. */
    private static String alone(String name) {
        return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }
}
