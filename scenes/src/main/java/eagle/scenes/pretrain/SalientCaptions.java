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

    SalientCaptions(Taxonomy taxonomy, int objects) {
        if (objects < 0) {
            throw new IllegalArgumentException(
                    "--caption-objects must be at least 0 (0 names every object), got " + objects);
        }
        this.taxonomy = taxonomy;
        this.objects = objects;
    }

    /** The scene's caption naming at most {@code objects} of its objects. */
    String caption(Scene scene) {
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
