package eagle.scenes.pretrain;

import eagle.scenes.Background;
import eagle.scenes.ObjectClass;
import eagle.scenes.PlacedObject;
import eagle.scenes.Scene;
import eagle.scenes.SceneConfig;
import eagle.scenes.SceneGenerator;
import eagle.scenes.SceneLayout;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a pre-training scene of one class draws first (its background, the background's texture
 * seed, its class, in that order from the seed's random stream) and how it is rendered with the
 * caption it was made with, shared by {@link DescribedScenes} and {@link CountedScenes}.
 */
record OneClassScene(
        SceneGenerator generator, Background background, long backgroundSeed, int classId) {

    /** The first draws of a scene from its random stream. */
    static OneClassScene draw(SceneGenerator generator, SplittableRandom rng) {
        Background bg = Background.values()[rng.nextInt(Background.values().length)];
        long bgSeed = rng.nextLong();
        int cls = rng.nextInt(generator.taxonomy().size());
        return new OneClassScene(generator, bg, bgSeed, cls);
    }

    ObjectClass objectClass() {
        return generator.taxonomy().get(classId);
    }

    /** The scene of these objects (all of this class) with {@code caption} as its caption. */
    Scene render(long seed, String type, List<PlacedObject> objects, String caption) {
        SceneConfig cfg = generator.config();
        Scene drawn =
                generator.render(
                        new SceneLayout(
                                seed,
                                cfg.width(),
                                cfg.height(),
                                type,
                                background,
                                backgroundSeed,
                                objects));
        return new Scene(
                drawn.seed(),
                drawn.image(),
                drawn.instances(),
                caption,
                drawn.sceneType(),
                drawn.background());
    }
}
