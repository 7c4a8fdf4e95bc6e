package eagle.scenes;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A generated, fully annotated image.
 *
 * @param seed the seed it was generated from
 * @param image TYPE_INT_RGB, W × H
 * @param instances visible objects in drawing order; masks are disjoint
 * @param caption "two red triangles and a striped blue star on grass"
 * @param sceneType "garden", "beach", ...
 * @param background "grass", "sand", "water", "plain" or "noise"
 */
public record Scene(
        long seed,
        BufferedImage image,
        List<Instance> instances,
        String caption,
        String sceneType,
        String background) {

    public Scene {
        instances = List.copyOf(instances);
    }

    /** The distinct class ids present, ascending. */
    public SortedSet<Integer> presentClasses() {
        SortedSet<Integer> s = new TreeSet<>();
        for (Instance i : instances) {
            s.add(i.classId());
        }
        return s;
    }
}
