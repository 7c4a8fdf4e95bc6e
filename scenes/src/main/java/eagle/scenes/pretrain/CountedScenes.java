package eagle.scenes.pretrain;

import eagle.scenes.Captions;
import eagle.scenes.PlacedObject;
import eagle.scenes.Scene;
import eagle.scenes.SceneConfig;
import eagle.scenes.SceneGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scenes of two to four copies of one class, one to a quadrant, captioned with their count: "three
 * red triangles on grass". Captions that name one object drawn from a busy scene never say how many
 * of a class there are, so a base pre-trained on them has no count words, and the MMVP-style count
 * pairs ("a red triangle" against "two red triangles") are stated in words it does not know. These
 * scenes give it the count words and the plurals with pictures that show them, without naming more
 * than one class per caption.
 *
 * <p>Each copy is 0.22 to 0.32 of the side, at any angle, at its quadrant's centre; the copies move
 * together by up to 0.05 of the image. Everything comes from the seed.
 */
public final class CountedScenes {

    /**
     * The fraction of fine-tuning images that are counted scenes where the embedded world stands in
     * for an annotation stream: the experiment's {@code --train-counted} default and the demo's
     * annotation source (docs/BENCHMARKS.md, "Counts in the fine-tuning").
     */
    public static final double FINE_TUNING_FRACTION = 0.25;

    public static final int MIN_COPIES = 2;
    public static final int MAX_COPIES = 4;

    private static final double[][] QUADRANTS = {
        {0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}
    };

    private final SceneGenerator generator;

    public CountedScenes(SceneGenerator generator) {
        this.generator = generator;
    }

    /** The counted scene of a seed. */
    public Scene generate(long seed) {
        SceneConfig cfg = generator.config();
        SplittableRandom rng = new SplittableRandom(seed ^ 0x3C6EF372FE94F82BL);
        double w = cfg.width();
        double h = cfg.height();
        double side = cfg.side();
        OneClassScene scene = OneClassScene.draw(generator, rng);
        int cls = scene.classId();
        int copies = MIN_COPIES + rng.nextInt(MAX_COPIES - MIN_COPIES + 1);
        List<double[]> quadrants = new ArrayList<>(List.of(QUADRANTS));
        // one shift for all copies, so they stay half the image apart and never touch
        double dx = (rng.nextDouble() - 0.5) * 0.1 * w;
        double dy = (rng.nextDouble() - 0.5) * 0.1 * h;
        List<PlacedObject> objects = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            double[] q = quadrants.remove(rng.nextInt(quadrants.size()));
            double size = (0.22 + 0.1 * rng.nextDouble()) * side;
            double angle = rng.nextDouble() * 2 * Math.PI;
            objects.add(
                    generator.place(
                            cls, q[0] * w + dx, q[1] * h + dy, size, angle, new int[] {0, 0, 0}));
        }
        String caption =
                Captions.counted(copies, scene.objectClass()) + " " + scene.background().phrase();
        return scene.render(seed, "counted", objects, caption);
    }
}
