package eagle.scenes.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.mask.BinaryMask;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.Shape;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The described scenes' captions say only what their one object's mask shows: place from the mask's
 * centroid, size from its bounding box, direction from where a triangle is wide.
 */
class DescribedScenesTest {

    private final SceneGenerator generator = SceneGenerator.standard(64);
    private final DescribedScenes described = new DescribedScenes(generator);

    @Test
    void everyAttributeInACaptionIsWhatTheMaskShows() {
        double side = generator.config().side();
        Set<String> seen = new HashSet<>();
        // per class: the least area of a "large" one, the greatest of a "small" one
        Map<Integer, Integer> largest = new HashMap<>();
        Map<Integer, Integer> smallest = new HashMap<>();
        for (long seed = 0; seed < 400; seed++) {
            Scene scene = described.generate(seed);
            assertEquals(1, scene.instances().size(), "one object");
            String caption = scene.caption();
            BinaryMask mask = scene.instances().get(0).mask();
            int classId = scene.instances().get(0).classId();
            if (caption.equals(generator.taxonomy().prompt(classId))) {
                seen.add("prompt");
                continue;
            }
            assertTrue(
                    caption.contains(generator.taxonomy().get(classId).name()),
                    "names its class: " + caption);
            double[] centroid = centroid(mask);
            int[] box = mask.boundingBox();
            for (String word : List.of("left", "right", "top", "bottom", "large", "small")) {
                if (caption.contains(" " + word + " ")) {
                    seen.add(word);
                }
            }
            if (caption.contains("on the left")) {
                assertTrue(centroid[0] < 32 - 0.1 * side, caption + " at x " + centroid[0]);
            }
            if (caption.contains("on the right")) {
                assertTrue(centroid[0] > 32 + 0.1 * side, caption + " at x " + centroid[0]);
            }
            if (caption.contains("at the top")) {
                assertTrue(centroid[1] < 32 - 0.1 * side, caption + " at y " + centroid[1]);
            }
            if (caption.contains("at the bottom")) {
                assertTrue(centroid[1] > 32 + 0.1 * side, caption + " at y " + centroid[1]);
            }
            if (caption.startsWith("a large ")) {
                largest.merge(classId, mask.area(), Math::min);
            }
            if (caption.startsWith("a small ")) {
                smallest.merge(classId, mask.area(), Math::max);
            }
            Shape shape = generator.taxonomy().get(classId).shape();
            if (caption.contains("pointing")) {
                assertTrue(shape.hasOrientation(), caption);
                seen.add(caption.contains("pointing up") ? "up" : "down");
                if (shape == Shape.TRIANGLE) {
                    // a triangle pointing up is narrow at its top and wide at its bottom
                    int top = rowWidth(mask, box[1] + box[3] / 5);
                    int bottom = rowWidth(mask, box[1] + box[3] - 1 - box[3] / 5);
                    assertEquals(
                            caption.contains("pointing up"),
                            top < bottom,
                            caption + " " + top + "/" + bottom);
                }
            }
        }
        for (Map.Entry<Integer, Integer> small : smallest.entrySet()) {
            Integer large = largest.get(small.getKey());
            if (large != null) {
                assertTrue(
                        large > small.getValue(),
                        "class "
                                + small.getKey()
                                + ": a large one covers "
                                + large
                                + " px, a small one "
                                + small.getValue());
            }
        }
        assertEquals(
                Set.of("prompt", "left", "right", "top", "bottom", "large", "small", "up", "down"),
                seen,
                "every word the MMVP-style kinds use is taught");
    }

    @Test
    void theSameSeedGivesTheSameScene() {
        Scene a = described.generate(77);
        Scene b = described.generate(77);
        assertEquals(a.caption(), b.caption());
        assertEquals(a.instances().get(0).mask(), b.instances().get(0).mask());
    }

    private static double[] centroid(BinaryMask m) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                if (m.get(y, x)) {
                    sx += x + 0.5;
                    sy += y + 0.5;
                    n++;
                }
            }
        }
        return new double[] {sx / n, sy / n};
    }

    private static int rowWidth(BinaryMask m, int y) {
        int w = 0;
        for (int x = 0; x < m.width(); x++) {
            w += m.get(y, x) ? 1 : 0;
        }
        return w;
    }
}
