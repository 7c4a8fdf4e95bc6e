package eagle.scenes;

import eagle.core.mask.BinaryMask;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic annotated-scene world: a scene is a pure function of its seed (SplitMix64 via
 * {@link SplittableRandom}, identical on every JVM), at any resolution.
 *
 * <p>Sampling ({@link #layout(long)}): a scene type uniformly; a background by the type's weights;
 * n objects, n uniform in [minObjects, maxObjects]; each object repeats a class already present
 * with probability repeatProbability, else comes from the type's favoured classes with probability
 * favourProbability, else uniformly from all C classes; its size is very small with probability
 * smallProbability; centre uniform (at most 40% of its radius may leave the image), angle uniform
 * in [0, 2π), colour = class colour ± colourJitter per channel. Objects mostly hidden by later ones
 * (visible &lt; minVisibleFraction of own area or &lt; minVisiblePixels) are dropped, so every
 * annotated instance can actually be seen.
 *
 * <p>Rendering ({@link #render(SceneLayout)}) paints objects in order over the background without
 * anti-aliasing; pixel (x, y) belongs to the last object whose shape contains its centre, so each
 * instance mask is exactly the set of pixels that show that instance, and masks are disjoint.
 */
public final class SceneGenerator {

    /** Bump whenever anything that changes pixels, masks, captions or sampling changes. */
    public static final String VERSION = "eagle-scenes/1";

    private final Taxonomy taxonomy;
    private final SceneConfig config;
    private final List<SceneType> sceneTypes;

    public SceneGenerator(Taxonomy taxonomy, SceneConfig config, List<SceneType> sceneTypes) {
        if (sceneTypes.isEmpty()) {
            throw new IllegalArgumentException("at least one scene type is needed");
        }
        for (SceneType t : sceneTypes) {
            for (int id : t.favoured()) {
                taxonomy.get(id);
            }
        }
        this.taxonomy = taxonomy;
        this.config = config;
        this.sceneTypes = List.copyOf(sceneTypes);
    }

    /** The standard taxonomy and default scene types at 64 × 64. */
    public static SceneGenerator standard() {
        return standard(64);
    }

    /** The standard taxonomy and default scene types at size × size. */
    public static SceneGenerator standard(int size) {
        Taxonomy t = Taxonomy.standard();
        return new SceneGenerator(t, SceneConfig.ofSize(size), SceneType.defaults(t));
    }

    /** The same world with another sampling configuration. */
    public SceneGenerator withConfig(SceneConfig newConfig) {
        return new SceneGenerator(taxonomy, newConfig, sceneTypes);
    }

    public Taxonomy taxonomy() {
        return taxonomy;
    }

    public SceneConfig config() {
        return config;
    }

    public List<SceneType> sceneTypes() {
        return sceneTypes;
    }

    /** A canonical description of everything that determines the output (for suite ids). */
    public String canonical() {
        StringBuilder sb =
                new StringBuilder(VERSION)
                        .append('|')
                        .append(config)
                        .append('|')
                        .append(taxonomy.canonical());
        for (SceneType t : sceneTypes) {
            sb.append('|').append(t.canonical());
        }
        return sb.toString();
    }

    /** The scene of a seed. */
    public Scene generate(long seed) {
        return render(layout(seed));
    }

    /** The layout of a seed (visibility-filtered, at least one object). */
    public SceneLayout layout(long seed) {
        return layout(seed, null);
    }

    /**
     * The layout of a seed whose objects have the given classes, in this drawing order (sizes,
     * places and background still come from the seed; objects are not dropped for occlusion). The
     * scene type is drawn among those that favour the first class, when any do.
     */
    public SceneLayout layoutWithClasses(long seed, int... classIds) {
        if (classIds.length == 0) {
            throw new IllegalArgumentException("at least one class is needed");
        }
        for (int id : classIds) {
            taxonomy.get(id);
        }
        return layout(seed, classIds);
    }

    private SceneLayout layout(long seed, int[] forced) {
        SplittableRandom rng = new SplittableRandom(seed);
        SceneType type = sceneTypes.get(rng.nextInt(sceneTypes.size()));
        if (forced != null) {
            List<SceneType> fav =
                    sceneTypes.stream().filter(t -> t.favoured().contains(forced[0])).toList();
            if (!fav.isEmpty()) {
                type = fav.get(rng.nextInt(fav.size()));
            }
        }
        Background bg = pickBackground(type, rng);
        long bgSeed = rng.nextLong();
        while (true) {
            List<PlacedObject> objs = new ArrayList<>();
            int n =
                    forced != null
                            ? forced.length
                            : config.minObjects()
                                    + rng.nextInt(config.maxObjects() - config.minObjects() + 1);
            for (int i = 0; i < n; i++) {
                int cls = forced != null ? forced[i] : chooseClass(type, objs, rng);
                boolean small = rng.nextDouble() < config.smallProbability();
                double frac =
                        small
                                ? uniform(rng, config.smallMin(), config.smallMax())
                                : uniform(rng, config.minSize(), config.maxSize());
                double size = Math.max(2.0, frac * config.side());
                double margin = Math.min(0.6 * size / 2, config.side() / 2.0);
                double cx = uniform(rng, margin, config.width() - margin);
                double cy = uniform(rng, margin, config.height() - margin);
                double angle = rng.nextDouble() * 2 * Math.PI;
                objs.add(place(cls, cx, cy, size, angle, jitter(rng)));
            }
            SceneLayout l =
                    new SceneLayout(
                            seed, config.width(), config.height(), type.name(), bg, bgSeed, objs);
            if (forced != null) {
                return l;
            }
            SceneLayout visible = dropHidden(l);
            if (!visible.objects().isEmpty()) {
                return visible;
            }
        }
    }

    /** Per-channel colour offsets (r, g, b) in ±colourJitter. */
    private int[] jitter(SplittableRandom rng) {
        int j = config.colourJitter();
        return new int[] {
            rng.nextInt(2 * j + 1) - j, rng.nextInt(2 * j + 1) - j, rng.nextInt(2 * j + 1) - j
        };
    }

    /**
     * An object of a class at a place, with per-channel colour offsets (may be {0, 0, 0}); the
     * texture band width is max(1, round(min(W, H) / 32)) pixels.
     */
    public PlacedObject place(
            int classId, double cx, double cy, double size, double angle, int[] colourOffset) {
        ObjectClass c = taxonomy.get(classId);
        int base = c.colour().rgb();
        int rgb =
                Background.rgb(
                        ((base >> 16) & 0xFF) + colourOffset[0],
                        ((base >> 8) & 0xFF) + colourOffset[1],
                        (base & 0xFF) + colourOffset[2]);
        double band = Math.max(1, Math.round(config.side() / 32.0));
        return new PlacedObject(classId, c.shape(), c.texture(), cx, cy, size, angle, rgb, band);
    }

    private int chooseClass(SceneType type, List<PlacedObject> sofar, SplittableRandom rng) {
        if (!sofar.isEmpty() && rng.nextDouble() < config.repeatProbability()) {
            return sofar.get(rng.nextInt(sofar.size())).classId();
        }
        if (!type.favoured().isEmpty() && rng.nextDouble() < config.favourProbability()) {
            return type.favoured().get(rng.nextInt(type.favoured().size()));
        }
        return rng.nextInt(taxonomy.size());
    }

    private static Background pickBackground(SceneType type, SplittableRandom rng) {
        double total = 0;
        for (Background b : Background.values()) {
            total += type.backgrounds().getOrDefault(b, 0.0);
        }
        double u = rng.nextDouble() * total;
        Background last = null;
        for (Background b : Background.values()) {
            double w = type.backgrounds().getOrDefault(b, 0.0);
            if (w > 0) {
                last = b;
                if (u < w) {
                    return b;
                }
                u -= w;
            }
        }
        return last;
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return hi <= lo ? lo : lo + rng.nextDouble() * (hi - lo);
    }

    /** Removes objects whose visible part is too small; removing one never hides another more. */
    SceneLayout dropHidden(SceneLayout l) {
        int[][] fp = footprints(l);
        int[] owner = owners(l, fp);
        int k = l.objects().size();
        int[] visible = new int[k];
        for (int o : owner) {
            if (o >= 0) {
                visible[o]++;
            }
        }
        List<PlacedObject> keep = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            if (visible[i] >= config.minVisiblePixels()
                    && visible[i] >= config.minVisibleFraction() * fp[i].length) {
                keep.add(l.objects().get(i));
            }
        }
        return l.withObjects(keep);
    }

    private static int[][] footprints(SceneLayout l) {
        int[][] fp = new int[l.objects().size()][];
        for (int k = 0; k < fp.length; k++) {
            fp[k] = l.objects().get(k).footprint(l.width(), l.height());
        }
        return fp;
    }

    /** For each pixel (row-major), the index of the last object covering it, or −1. */
    private static int[] owners(SceneLayout l, int[][] footprints) {
        int[] owner = new int[l.width() * l.height()];
        Arrays.fill(owner, -1);
        for (int k = 0; k < footprints.length; k++) {
            for (int i : footprints[k]) {
                owner[i] = k;
            }
        }
        return owner;
    }

    /**
     * Draws a layout: background, then objects in order; instances are the objects with at least
     * one visible pixel, ids "s{seed}-{k}" with k the index in the layout.
     */
    public Scene render(SceneLayout l) {
        int w = l.width();
        int h = l.height();
        int[] px = l.background().paint(w, h, l.backgroundSeed()); // (H·W) 0xRRGGBB
        int[][] fp = footprints(l);
        int[] owner = owners(l, fp);
        int k = l.objects().size();
        boolean[][] masks = new boolean[k][];
        for (int o = 0; o < k; o++) {
            PlacedObject obj = l.objects().get(o);
            double c = Math.cos(obj.angle());
            double s = Math.sin(obj.angle());
            for (int i : fp[o]) {
                if (owner[i] == o) {
                    px[i] = obj.colourAt(i % w, i / w, c, s);
                    if (masks[o] == null) {
                        masks[o] = new boolean[w * h];
                    }
                    masks[o][i] = true;
                }
            }
        }
        List<Instance> instances = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int o = 0; o < k; o++) {
            if (masks[o] != null) {
                int cls = l.objects().get(o).classId();
                instances.add(
                        new Instance(
                                "s" + l.seed() + "-" + o,
                                cls,
                                taxonomy.name(cls),
                                BinaryMask.of(h, w, masks[o])));
                ids.add(cls);
            }
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, px, 0, w);
        return new Scene(
                l.seed(),
                img,
                instances,
                Captions.caption(ids, taxonomy, l.background()),
                l.sceneType(),
                l.background().word());
    }
}
