package eagle.scenes.pretrain;

import eagle.scenes.Background;
import eagle.scenes.Captions;
import eagle.scenes.Instance;
import eagle.scenes.Scene;
import eagle.scenes.Taxonomy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Captions that name at most {@code objects} of a scene's objects, the way a photograph's caption
 * names its salient object and leaves the rest of the picture unsaid. The named objects are drawn
 * at random, seeded by the scene's seed, so a pre-training run is reproducible; the others are in
 * the image but in no caption, so contrastive pre-training gives their patches no words: the gap
 * EAGLE's instance masks are there to fill.
 *
 * <p>{@code objects = 0} names every visible object (the scene's own caption).
 */
final class SalientCaptions {

    private final Taxonomy taxonomy;
    private final int objects;
    private final int classes;

    SalientCaptions(Taxonomy taxonomy, int objects) {
        this(taxonomy, objects, 0);
    }

    SalientCaptions(Taxonomy taxonomy, int objects, int classes) {
        if (objects < 0 || classes < 0) {
            throw new IllegalArgumentException(
                    "--caption-objects and --caption-classes must be at least 0 (0 names every"
                            + " object), got "
                            + objects
                            + " and "
                            + classes);
        }
        this.taxonomy = taxonomy;
        this.objects = objects;
        this.classes = classes;
    }

    /** The scene's caption naming at most {@code objects} of its objects. */
    String caption(Scene scene) {
        if (classes > 0 && scene.presentClasses().size() > classes) {
            List<Integer> present = new ArrayList<>(scene.presentClasses());
            Collections.shuffle(present, new Random(scene.seed()));
            Set<Integer> named = new HashSet<>(present.subList(0, classes));
            List<Integer> classIds = new ArrayList<>();
            for (Instance instance : scene.instances()) {
                if (named.contains(instance.classId())) {
                    classIds.add(instance.classId());
                }
            }
            return Captions.caption(classIds, taxonomy, Background.ofWord(scene.background()));
        }
        if (objects == 0 || scene.instances().size() <= objects) {
            return scene.caption();
        }
        List<Integer> classIds = new ArrayList<>();
        for (Instance instance : scene.instances()) {
            classIds.add(instance.classId());
        }
        Collections.shuffle(classIds, new Random(scene.seed()));
        return Captions.caption(
                classIds.subList(0, objects), taxonomy, Background.ofWord(scene.background()));
    }
}
