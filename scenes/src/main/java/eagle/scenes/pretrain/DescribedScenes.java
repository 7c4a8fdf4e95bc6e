package eagle.scenes.pretrain;

import eagle.scenes.Background;
import eagle.scenes.Captions;
import eagle.scenes.ObjectClass;
import eagle.scenes.PlacedObject;
import eagle.scenes.Scene;
import eagle.scenes.SceneConfig;
import eagle.scenes.SceneGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One-object scenes whose captions say what the MMVP-style pairs ask about: size ("a large red
 * triangle"), place ("on the left", "on the right", "at the top", "at the bottom") and, for shapes
 * that point, direction ("pointing up", "pointing down"). The generator's ordinary captions only
 * count and name, so without these the words the pairs are stated in would be unknown to the base
 * and those kinds could not move. A fraction of them is captioned with the taxonomy's prompt
 * template instead ("This is an image of a red triangle"), the way alt-text often reads.
 *
 * <p>An attribute is said only when it is clear: large at ≥ 0.5 of the side, small at ≤ 0.3; a
 * place when the centre is more than 0.15 of the side off the middle (the larger offset wins);
 * up/down within 25° of the upright or the inverted pose. Everything comes from the seed.
 */
public final class DescribedScenes {

    private static final double CLEAR_TURN = Math.toRadians(25);

    private final SceneGenerator generator;

    public DescribedScenes(SceneGenerator generator) {
        this.generator = generator;
    }

    /** The scene of a seed with its described caption. */
    public Scene generate(long seed) {
        SceneConfig cfg = generator.config();
        SplittableRandom rng = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        double w = cfg.width();
        double h = cfg.height();
        double side = cfg.side();
        OneClassScene scene = OneClassScene.draw(generator, rng);
        int cls = scene.classId();
        ObjectClass c = scene.objectClass();
        double size = (0.2 + 0.45 * rng.nextDouble()) * side;
        double margin = 0.55 * size;
        double cx = margin + rng.nextDouble() * (w - 2 * margin);
        double cy = margin + rng.nextDouble() * (h - 2 * margin);
        // half the pointing shapes upright or inverted (so the words get examples), the rest any
        double angle =
                c.shape().hasOrientation() && rng.nextBoolean()
                        ? (rng.nextBoolean() ? 0 : Math.PI) + (rng.nextDouble() - 0.5) * CLEAR_TURN
                        : rng.nextDouble() * 2 * Math.PI;
        PlacedObject object = generator.place(cls, cx, cy, size, angle, new int[] {0, 0, 0});
        String caption =
                rng.nextDouble() < 0.25
                        ? generator.taxonomy().prompt(cls)
                        : caption(c, object, cfg, scene.background());
        return scene.render(seed, "described", List.of(object), caption);
    }

    /** "a large red triangle on the left pointing up on grass", each attribute only when clear. */
    static String caption(ObjectClass c, PlacedObject o, SceneConfig cfg, Background bg) {
        double side = cfg.side();
        List<String> words = new ArrayList<>();
        if (o.size() >= 0.5 * side) {
            words.add("a large " + c.name());
        } else if (o.size() <= 0.3 * side) {
            words.add("a small " + c.name());
        } else {
            words.add(Captions.counted(1, c));
        }
        double dx = (o.cx() - cfg.width() / 2.0) / side;
        double dy = (o.cy() - cfg.height() / 2.0) / side;
        if (Math.max(Math.abs(dx), Math.abs(dy)) > 0.15) {
            if (Math.abs(dx) >= Math.abs(dy)) {
                words.add(dx < 0 ? "on the left" : "on the right");
            } else {
                words.add(dy < 0 ? "at the top" : "at the bottom");
            }
        }
        if (o.shape().hasOrientation()) {
            double a = Math.IEEEremainder(o.angle(), 2 * Math.PI); // (−π, π]
            if (Math.abs(a) <= CLEAR_TURN) {
                words.add("pointing up");
            } else if (Math.PI - Math.abs(a) <= CLEAR_TURN) {
                words.add("pointing down");
            }
        }
        return String.join(" ", words) + " " + bg.phrase();
    }
}
