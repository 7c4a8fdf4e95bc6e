package eagle.scenes.pretrain;

import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.SeedRanges;

/**
 * The pre-training scene of each training seed and its caption: every 1/described-th seed (spread
 * evenly) a described scene ({@link DescribedScenes}), every 1/counted-th of those a counted one
 * ({@link CountedScenes}), each with the caption it was made with; every other seed the generator's
 * scene, captioned by {@link SalientCaptions}.
 *
 * @param described fraction of the seeds that are described scenes
 * @param counted fraction of the described scenes that are counted ones
 */
record TrainingScenes(
        SceneGenerator generator, double described, double counted, SalientCaptions salient) {

    /** A scene and the caption it is trained with. */
    record Captioned(Scene scene, String caption) {}

    TrainingScenes {
        if (described < 0 || described > 1) {
            throw new IllegalArgumentException("--described must be in [0, 1], got " + described);
        }
        if (counted < 0 || counted > 1) {
            throw new IllegalArgumentException("--counted must be in [0, 1], got " + counted);
        }
    }

    /** The scene of training seed i and its caption. */
    Captioned get(long i) {
        if (!SeedRanges.evenlySpread(i, described)) {
            Scene scene = generator.generate(i);
            return new Captioned(scene, salient.caption(scene));
        }
        // the index of seed i among the described ones
        Scene scene =
                SeedRanges.evenlySpread((long) Math.floor(i * described), counted)
                        ? new CountedScenes(generator).generate(i)
                        : new DescribedScenes(generator).generate(i);
        return new Captioned(scene, scene.caption());
    }
}
