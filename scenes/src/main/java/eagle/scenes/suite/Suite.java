package eagle.scenes.suite;

import eagle.scenes.Background;
import eagle.scenes.Captions;
import eagle.scenes.CooccurrenceStats;
import eagle.scenes.ObjectClass;
import eagle.scenes.PlacedObject;
import eagle.scenes.Scene;
import eagle.scenes.SceneConfig;
import eagle.scenes.SceneGenerator;
import eagle.scenes.SceneLayout;
import eagle.scenes.SeedRanges;
import eagle.scenes.SeedRanges.SuiteSet;
import eagle.scenes.Taxonomy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.SplittableRandom;

/**
 * The held-out, versioned evaluation suite (docs/METHOD.md §6), generated from suite seeds only
 * ({@link SeedRanges}: item i of a set has seed 2^50 + set·2^32 + i; training uses seeds &lt;
 * 2^40).
 *
 * <ul>
 *   <li><b>zeroShot</b>: one-object images (size 0.35–0.6 of the side, never very small), label =
 *       that object's class; image i has class i mod C, so classes are balanced.
 *   <li><b>pope</b>: ordinary generated scenes; for each image, a question for every present class
 *       and as many absent ones per split (random / popular / adversarial, see {@link
 *       NegativeSampling}; statistics from training seeds [0, statsScenes)).
 *   <li><b>calibration</b>: the same construction on separate images, used only to choose the
 *       yes-threshold.
 *   <li><b>mmvp</b>: pairs differing in one detail ({@link MmvpKind}), mmvpPairsPerKind of each.
 * </ul>
 *
 * <p>{@code id} = the first 16 hex digits of SHA-256 over the generator's canonical description
 * (its VERSION, scene config, taxonomy, prompt template, scene types), this config and every seed
 * used, so it changes whenever anything that makes the suite changes.
 */
public record Suite(
        String id,
        SuiteConfig config,
        Taxonomy taxonomy,
        List<Scene> zeroShot,
        PopeSet pope,
        PopeSet calibration,
        List<MmvpPair> mmvp,
        CooccurrenceStats stats)
        implements HeldOutSet {

    /** Zero-shot images' objects: 0.35–0.6 of the side, never very small. */
    static final double ZS_MIN = 0.35;

    static final double ZS_MAX = 0.6;

    /** Zero-shot labels: (B). */
    public int[] zeroShotLabels() {
        return zeroShot.stream().mapToInt(s -> s.instances().get(0).classId()).toArray();
    }

    @Override
    public List<String> classNames() {
        return taxonomy.names();
    }

    @Override
    public List<String> classPrompts() {
        return taxonomy.prompts();
    }

    /** Whole-image items: CLS and mean patch of each one-object image. */
    @Override
    public List<ZeroShotItem> zeroShotItems() {
        int[] labels = zeroShotLabels();
        List<ZeroShotItem> items = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            items.add(ZeroShotItem.whole(zeroShot.get(i).image(), labels[i]));
        }
        return items;
    }

    /** Builds the suite. */
    public static Suite build(SceneGenerator gen, SuiteConfig cfg) {
        Taxonomy tax = gen.taxonomy();
        Digest digest = new Digest();
        digest.add(gen.canonical()).add(cfg.toString()).add("zs=" + ZS_MIN + ".." + ZS_MAX);

        SceneGenerator zsGen =
                gen.withConfig(gen.config().withObjects(1, 1).withSizes(ZS_MIN, ZS_MAX, 0));
        List<Scene> zs = new ArrayList<>();
        for (int i = 0; i < cfg.zeroShotImages(); i++) {
            long seed = SeedRanges.suiteSeed(SuiteSet.ZERO_SHOT, i);
            digest.add(seed);
            zs.add(zsGen.render(zsGen.layoutWithClasses(seed, i % tax.size())));
        }

        CooccurrenceStats stats = CooccurrenceStats.ofTraining(gen, cfg.statsScenes());
        digest.add("stats=[0," + cfg.statsScenes() + ")");
        PopeSet pope = popeSet(gen, stats, SuiteSet.POPE, cfg.popeImages(), digest);
        PopeSet cal = popeSet(gen, stats, SuiteSet.CALIBRATION, cfg.calibrationImages(), digest);

        List<MmvpPair> pairs = new ArrayList<>();
        long j = 0;
        for (MmvpKind kind : MmvpKind.values()) {
            if (kind == MmvpKind.ORIENTATION
                    && tax.classes().stream().noneMatch(c -> c.shape().hasOrientation())) {
                continue; // no class whose orientation shows
            }
            for (int i = 0; i < cfg.mmvpPairsPerKind(); i++) {
                long seed = SeedRanges.suiteSeed(SuiteSet.MMVP, j++);
                digest.add(seed);
                pairs.add(mmvpPair(gen, kind, seed));
            }
        }
        return new Suite(
                digest.hex16(), cfg, tax, List.copyOf(zs), pope, cal, List.copyOf(pairs), stats);
    }

    private static PopeSet popeSet(
            SceneGenerator gen, CooccurrenceStats stats, SuiteSet set, int count, Digest digest) {
        List<Scene> images = new ArrayList<>();
        Map<NegativeSampling, List<PopeQuestion>> qs = new EnumMap<>(NegativeSampling.class);
        for (NegativeSampling n : NegativeSampling.values()) {
            qs.put(n, new ArrayList<>());
        }
        for (int i = 0; i < count; i++) {
            long seed = SeedRanges.suiteSeed(set, i);
            digest.add(seed);
            Scene s = gen.generate(seed);
            images.add(s);
            SortedSet<Integer> present = s.presentClasses();
            for (NegativeSampling n : NegativeSampling.values()) {
                List<PopeQuestion> q = qs.get(n);
                for (int c : present) {
                    q.add(new PopeQuestion(i, c, true));
                }
                for (int c : negatives(n, present, stats, gen.taxonomy().size(), seed)) {
                    q.add(new PopeQuestion(i, c, false));
                }
            }
        }
        Map<NegativeSampling, List<PopeQuestion>> frozen = new EnumMap<>(NegativeSampling.class);
        qs.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new PopeSet(images, frozen);
    }

    /** |present| absent classes (fewer when fewer are absent), chosen by the split's rule. */
    static List<Integer> negatives(
            NegativeSampling n,
            SortedSet<Integer> present,
            CooccurrenceStats stats,
            int classes,
            long seed) {
        List<Integer> ranked =
                switch (n) {
                    case POPULAR -> stats.popularAbsent(present);
                    case ADVERSARIAL -> stats.adversarialAbsent(present);
                    case RANDOM ->
                            PopeConstruction.shuffled(
                                    PopeConstruction.absentClasses(present, classes),
                                    new SplittableRandom(seed ^ 0x5DEECE66DL));
                };
        return List.copyOf(ranked.subList(0, Math.min(present.size(), ranked.size())));
    }

    /** One MMVP pair of the given kind, from a seed; objects never overlap. */
    static MmvpPair mmvpPair(SceneGenerator gen, MmvpKind kind, long seed) {
        Taxonomy tax = gen.taxonomy();
        SceneConfig cfg = gen.config();
        double w = cfg.width();
        double h = cfg.height();
        double side = cfg.side();
        SplittableRandom rng = new SplittableRandom(seed);
        Background bg = Background.values()[rng.nextInt(Background.values().length)];
        long bgSeed = rng.nextLong();
        int cls = rng.nextInt(tax.size());
        if (kind == MmvpKind.ORIENTATION) {
            List<ObjectClass> oriented =
                    tax.classes().stream().filter(c -> c.shape().hasOrientation()).toList();
            cls = oriented.get(rng.nextInt(oriented.size())).id();
        }
        double angle = kind == MmvpKind.ORIENTATION ? 0 : rng.nextDouble() * 2 * Math.PI;
        double jx = (rng.nextDouble() - 0.5) * 0.1 * w;
        double jy = (rng.nextDouble() - 0.5) * 0.1 * h;
        String on = " " + bg.phrase();
        ObjectClass c = tax.get(cls);
        String one = Captions.counted(1, c);
        List<PlacedObject> a = new ArrayList<>();
        List<PlacedObject> b = new ArrayList<>();
        String sa;
        String sb;
        int[] noJitter = {0, 0, 0};
        switch (kind) {
            case COLOUR -> {
                List<Integer> others = new ArrayList<>();
                for (ObjectClass o : tax.classes()) {
                    if (o.shape() == c.shape()
                            && o.texture() == c.texture()
                            && o.colour() != c.colour()) {
                        others.add(o.id());
                    }
                }
                if (others.isEmpty()) {
                    throw new IllegalArgumentException(
                            "class " + c.name() + " has no other colour");
                }
                int other = others.get(rng.nextInt(others.size()));
                a.add(gen.place(cls, w / 2 + jx, h / 2 + jy, 0.45 * side, angle, noJitter));
                b.add(gen.place(other, w / 2 + jx, h / 2 + jy, 0.45 * side, angle, noJitter));
                sa = one + on;
                sb = Captions.counted(1, tax.get(other)) + on;
            }
            case COUNT -> {
                int n = 1 + rng.nextInt(3);
                List<double[]> quads =
                        new ArrayList<>(
                                List.of(
                                        new double[] {0.25, 0.25},
                                        new double[] {0.75, 0.25},
                                        new double[] {0.25, 0.75},
                                        new double[] {0.75, 0.75}));
                for (int i = quads.size() - 1; i > 0; i--) {
                    int k = rng.nextInt(i + 1);
                    quads.set(k, quads.set(i, quads.get(k)));
                }
                for (int i = 0; i <= n; i++) {
                    PlacedObject o =
                            gen.place(
                                    cls,
                                    quads.get(i)[0] * w + jx / 2,
                                    quads.get(i)[1] * h + jy / 2,
                                    0.3 * side,
                                    angle,
                                    noJitter);
                    if (i < n) {
                        a.add(o);
                    }
                    b.add(o);
                }
                sa = Captions.counted(n, c) + on;
                sb = Captions.counted(n + 1, c) + on;
            }
            case POSITION -> {
                double y = h / 2 + jy;
                a.add(gen.place(cls, 0.25 * w, y, 0.35 * side, angle, noJitter));
                b.add(gen.place(cls, 0.75 * w, y, 0.35 * side, angle, noJitter));
                sa = one + " on the left" + on;
                sb = one + " on the right" + on;
            }
            case PRESENCE -> {
                int other = rng.nextInt(tax.size() - 1);
                if (other >= cls) {
                    other++;
                }
                PlacedObject first =
                        gen.place(cls, 0.27 * w, h / 2 + jy, 0.35 * side, angle, noJitter);
                a.add(first);
                a.add(gen.place(other, 0.73 * w, h / 2 - jy, 0.35 * side, angle, noJitter));
                b.add(first);
                sa = Captions.join(List.of(one, Captions.counted(1, tax.get(other)))) + on;
                sb = one + on;
            }
            case SIZE -> {
                a.add(gen.place(cls, w / 2 + jx, h / 2 + jy, 0.6 * side, angle, noJitter));
                b.add(gen.place(cls, w / 2 + jx, h / 2 + jy, 0.25 * side, angle, noJitter));
                sa = "a large " + c.name() + on;
                sb = "a small " + c.name() + on;
            }
            case ORIENTATION -> {
                PlacedObject up = gen.place(cls, w / 2 + jx, h / 2 + jy, 0.5 * side, 0, noJitter);
                a.add(up);
                b.add(up.rotated(Math.PI));
                sa = one + " pointing up" + on;
                sb = one + " pointing down" + on;
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        SceneLayout la =
                new SceneLayout(
                        seed, cfg.width(), cfg.height(), "mmvp-" + kind.key(), bg, bgSeed, a);
        return new MmvpPair(kind, gen.render(la), gen.render(la.withObjects(b)), sa, sb);
    }

    /** SHA-256 over strings and seeds. */
    private static final class Digest {
        private final MessageDigest md;

        Digest() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        Digest add(String s) {
            md.update(s.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            return this;
        }

        Digest add(long seed) {
            for (int i = 0; i < 8; i++) {
                md.update((byte) (seed >>> (8 * i)));
            }
            return this;
        }

        String hex16() {
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        }
    }
}
