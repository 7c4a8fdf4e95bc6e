package eagle.scenes.experiment;

import eagle.scenes.Scene;
import eagle.scenes.SceneConfig;
import eagle.scenes.SceneGenerator;
import eagle.scenes.SeedRanges;
import eagle.scenes.pretrain.CountedScenes;
import java.util.function.LongFunction;

/**
 * What the experiment fine-tunes on: the world's scenes, drawn with {@code objects} objects (null:
 * the suite's own, 1..6; {@code --train-objects}), with a fraction {@code counted} of them, spread
 * evenly, replaced by counted scenes ({@code --train-counted}; {@link CountedScenes}: two to four
 * copies of one class, one to a quadrant). The world's scenes seldom hold two objects of one class;
 * counted scenes are annotated images that do, as photographs of a flock or a car park are.
 *
 * @param objects the training scenes' object counts, or null
 * @param counted fraction of the images that are counted scenes, in [0, 1]
 */
public record FineTuningScenes(SceneConfig objects, double counted) {

    /**
     * The experiment's default fraction of counted scenes ({@code --train-counted};
     * docs/BENCHMARKS.md, "Counts in the fine-tuning").
     */
    public static final double DEFAULT_COUNTED = CountedScenes.FINE_TUNING_FRACTION;

    /** The world's scenes as the suite draws them, none counted. */
    public static final FineTuningScenes STANDARD = new FineTuningScenes(null, 0);

    /** The world's scenes with {@link #DEFAULT_COUNTED} of them counted. */
    public static final FineTuningScenes DEFAULT = new FineTuningScenes(null, DEFAULT_COUNTED);

    public FineTuningScenes {
        if (!(counted >= 0 && counted <= 1)) {
            throw new IllegalArgumentException(
                    "--train-counted must be a fraction in [0, 1], got " + counted);
        }
    }

    /** The scene of image i, of seed {@code firstSeed + i}. */
    public LongFunction<Scene> from(SceneGenerator world, long firstSeed) {
        SceneGenerator generator = objects == null ? world : world.withConfig(objects);
        CountedScenes countedScenes = new CountedScenes(generator);
        return i ->
                SeedRanges.evenlySpread(i, counted)
                        ? countedScenes.generate(firstSeed + i)
                        : generator.generate(firstSeed + i);
    }
}
