package eagle.scenes.pretrain;

import eagle.scenes.Background;
import eagle.scenes.Captions;
import eagle.scenes.Instance;
import eagle.scenes.Scene;
import eagle.scenes.Taxonomy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Captions that name only part of a scene, the way a photograph's caption names its salient object
 * and leaves the rest of the picture unsaid: at most {@code objects} of its objects, or at most
 * {@code classes} of its classes, each with its count. What is named is drawn at random, seeded by
 * the scene's seed, so a pre-training run is reproducible; the rest is in the image but in no
 * caption, so contrastive pre-training gives its patches no words: the gap EAGLE's instance masks
 * are there to fill.
 *
 * <p>0 for both names every visible object (the scene's own caption); the two limits are
 * alternatives (both set is refused).
 */
final class SalientCaptions {

    private final Taxonomy taxonomy;
    private final int objects;
    private final int classes;

    SalientCaptions(Taxonomy taxonomy, int objects, int classes) {
        if (objects < 0 || classes < 0) {
            throw new IllegalArgumentException(
                    "--caption-objects and --caption-classes must be at least 0 (0 names every"
                            + " object), got "
                            + objects
                            + " and "
                            + classes);
        }
        if (objects > 0 && classes > 0) {
            throw new IllegalArgumentException(
                    "--caption-objects and --caption-classes are alternatives: give one, got "
                            + objects
                            + " and "
                            + classes);
        }
        this.taxonomy = taxonomy;
        this.objects = objects;
        this.classes = classes;
    }

    /** Most objects a caption names (0: every object). */
    int objects() {
        return objects;
    }

    /** Most classes a caption names (0: every class). */
    int classes() {
        return classes;
    }

    /** The scene's caption naming at most the classes or objects asked for. */
    String caption(Scene scene) {
        List<Integer> classIds = new ArrayList<>(); // one per visible instance, drawing order
        for (Instance instance : scene.instances()) {
            classIds.add(instance.classId());
        }
        List<Integer> named;
        if (classes > 0 && scene.presentClasses().size() > classes) {
            List<Integer> kept = drawn(new ArrayList<>(scene.presentClasses()), classes, scene);
            named = classIds.stream().filter(kept::contains).toList();
        } else if (objects > 0 && classIds.size() > objects) {
            named = drawn(classIds, objects, scene);
        } else {
            return scene.caption();
        }
        return Captions.caption(named, taxonomy, Background.ofWord(scene.background()));
    }

    /** The first n of the items after a shuffle seeded by the scene. */
    private static List<Integer> drawn(List<Integer> items, int n, Scene scene) {
        List<Integer> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, new Random(scene.seed()));
        return shuffled.subList(0, n);
    }
}
