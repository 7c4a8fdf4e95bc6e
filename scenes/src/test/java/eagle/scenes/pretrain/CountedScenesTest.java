package eagle.scenes.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.mask.BinaryMask;
import eagle.scenes.Background;
import eagle.scenes.Captions;
import eagle.scenes.Instance;
import eagle.scenes.ObjectClass;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.SeedRanges;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A counted scene's caption says how many copies its picture shows, of the one class it shows, and
 * the copies can be told apart (no two masks touch).
 */
class CountedScenesTest {

    private final SceneGenerator generator = SceneGenerator.standard(64);
    private final CountedScenes counted = new CountedScenes(generator);

    @Test
    void theCaptionCountsTheCopiesThePictureShows() {
        Set<Integer> counts = new TreeSet<>();
        for (long seed = 0; seed < 200; seed++) {
            Scene scene = counted.generate(seed);
            int copies = scene.instances().size();
            counts.add(copies);
            int classId = scene.instances().get(0).classId();
            ObjectClass c = generator.taxonomy().get(classId);
            for (Instance instance : scene.instances()) {
                assertEquals(classId, instance.classId(), "one class: " + scene.caption());
            }
            String expected =
                    Captions.counted(copies, c)
                            + " "
                            + Background.ofWord(scene.background()).phrase();
            assertEquals(expected, scene.caption());
            assertTrue(scene.caption().contains(c.plural()), scene.caption());
            for (int i = 0; i < copies; i++) {
                for (int j = i + 1; j < copies; j++) {
                    assertFalse(
                            touch(scene.instances().get(i).mask(), scene.instances().get(j).mask()),
                            "seed " + seed + ": copies " + i + " and " + j + " touch");
                }
            }
        }
        assertEquals(Set.of(2, 3, 4), counts, "every count from two to four occurs");
    }

    @Test
    void theSameSeedGivesTheSameScene() {
        Scene a = counted.generate(91);
        Scene b = counted.generate(91);
        assertEquals(a.caption(), b.caption());
        assertEquals(a.instances().size(), b.instances().size());
        assertEquals(a.instances().get(0).mask(), b.instances().get(0).mask());
    }

    @Test
    void aFractionPicksThatShareOfItemsEvenlySpread() {
        assertEquals(0, picked(0.0, 1000));
        assertEquals(1000, picked(1.0, 1000));
        assertEquals(300, picked(0.3, 1000));
        // no two picks of a quarter are closer than four items apart
        long last = -1;
        for (long i = 0; i < 100; i++) {
            if (SeedRanges.evenlySpread(i, 0.25)) {
                assertEquals(4, i - last, "item " + i);
                last = i;
            }
        }
    }

    private static int picked(double fraction, int items) {
        int n = 0;
        for (long i = 0; i < items; i++) {
            n += SeedRanges.evenlySpread(i, fraction) ? 1 : 0;
        }
        return n;
    }

    /** Whether a pixel of one mask is the same as, or next to, a pixel of the other. */
    private static boolean touch(BinaryMask a, BinaryMask b) {
        for (int y = 0; y < a.height(); y++) {
            for (int x = 0; x < a.width(); x++) {
                if (!a.get(y, x)) {
                    continue;
                }
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0
                                && xx >= 0
                                && yy < b.height()
                                && xx < b.width()
                                && b.get(yy, xx)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
