package eagle.scenes.suite;

import eagle.scenes.CooccurrenceStats;
import eagle.scenes.Instance;
import eagle.scenes.coco.AnnotatedImage;
import eagle.scenes.coco.CocoDataset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * POPE questions for annotated images (docs/METHOD.md §6), built the way POPE builds them from COCO
 * segmentations: for each image, questions about categories present and about as many absent ones,
 * the absent ones chosen three ways ({@link NegativeSampling}).
 *
 * <p>Counts: POPE asks {@value #PER_IMAGE} present and {@value #PER_IMAGE} absent objects per image
 * (a 50% yes ratio). Here, for an image with k distinct categories present:
 *
 * <ul>
 *   <li>present: all k when k ≤ {@value #PER_IMAGE}, else {@value #PER_IMAGE} of them chosen
 *       uniformly (seeded by the seed and the image id); the same ones for all three samplings.
 *       POPE keeps only images with at least 3 objects; we keep images with 1 or 2 categories too
 *       (a user's held-out set is often small) and ask about all of them, so the yes ratio stays
 *       50% per image.
 *   <li>absent: as many as present ones asked, fewer only when fewer categories are absent;
 *       <b>random</b>: uniformly among the absent categories (seeded by the seed and the image id,
 *       a stream separate from the present choice); <b>popular</b>: the absent categories present
 *       in most images of the set; <b>adversarial</b>: the absent categories with the largest Σ_{p
 *       present} cooccurrence[p][c] over the set, summing over all the image's present categories
 *       (not only those asked). Ties: more frequent first, then lower category index ({@link
 *       CooccurrenceStats}).
 *   <li>an image with no category present gets no question (it has no "yes" to ask).
 * </ul>
 *
 * Per image: the present questions in ascending category order, then the absent ones in ascending
 * order. The result depends only on the images' ids, their present sets, the statistics and the
 * seed, never on the order in which other images come.
 */
public final class PopeConstruction {

    /** POPE's per-image count of present (and of absent) objects asked about. */
    public static final int PER_IMAGE = 3;

    private PopeConstruction() {}

    /**
     * The questions of a COCO set's images, statistics over the whole set; {@link
     * PopeQuestion#imageIndex()} indexes {@link CocoDataset#images()} and {@link
     * PopeQuestion#classId()} its categories (sorted by id).
     */
    public static Map<NegativeSampling, List<PopeQuestion>> questions(CocoDataset set, long seed) {
        List<SortedSet<Integer>> present =
                set.images().stream().map(PopeConstruction::present).toList();
        long[] ids = set.images().stream().mapToLong(AnnotatedImage::id).toArray();
        int classes = set.categories().size();
        return questions(
                ids, present, classes, CooccurrenceStats.ofPresence(present, classes), seed);
    }

    /** The distinct category indices of an image's instances, ascending. */
    public static SortedSet<Integer> present(AnnotatedImage image) {
        SortedSet<Integer> s = new TreeSet<>();
        for (Instance in : image.instances()) {
            s.add(in.classId());
        }
        return s;
    }

    /**
     * The questions of each sampling; {@link PopeQuestion#imageIndex()} indexes {@code present}.
     *
     * @param imageIds one id per image (seeds the random choices)
     * @param present the categories present in each image, ids in [0, classes)
     * @param classes number of categories C
     * @param stats image-level statistics of the set ({@link CooccurrenceStats#ofPresence})
     * @param seed fixed seed of the suite
     */
    public static Map<NegativeSampling, List<PopeQuestion>> questions(
            long[] imageIds,
            List<? extends SortedSet<Integer>> present,
            int classes,
            CooccurrenceStats stats,
            long seed) {
        if (imageIds.length != present.size()) {
            throw new IllegalArgumentException(
                    imageIds.length + " image ids for " + present.size() + " images");
        }
        Map<NegativeSampling, List<PopeQuestion>> out = new EnumMap<>(NegativeSampling.class);
        for (NegativeSampling n : NegativeSampling.values()) {
            out.put(n, new ArrayList<>());
        }
        for (int i = 0; i < imageIds.length; i++) {
            SortedSet<Integer> here = present.get(i);
            if (here.isEmpty()) {
                continue;
            }
            SortedSet<Integer> asked = askedPresent(here, imageIds[i], seed);
            for (NegativeSampling n : NegativeSampling.values()) {
                List<PopeQuestion> qs = out.get(n);
                for (int c : asked) {
                    qs.add(new PopeQuestion(i, c, true));
                }
                for (int c : absent(n, here, asked.size(), classes, stats, imageIds[i], seed)) {
                    qs.add(new PopeQuestion(i, c, false));
                }
            }
        }
        Map<NegativeSampling, List<PopeQuestion>> frozen = new EnumMap<>(NegativeSampling.class);
        out.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return frozen;
    }

    /**
     * The present categories asked about: all when at most {@value #PER_IMAGE}, else a seeded
     * choice.
     */
    static SortedSet<Integer> askedPresent(SortedSet<Integer> present, long imageId, long seed) {
        if (present.size() <= PER_IMAGE) {
            return new TreeSet<>(present);
        }
        List<Integer> l = shuffled(new ArrayList<>(present), rng(seed, imageId, 0x50524553L));
        return new TreeSet<>(l.subList(0, PER_IMAGE));
    }

    /**
     * {@code count} absent categories (fewer when fewer are absent) by the sampling's rule,
     * ascending.
     */
    static SortedSet<Integer> absent(
            NegativeSampling n,
            SortedSet<Integer> present,
            int count,
            int classes,
            CooccurrenceStats stats,
            long imageId,
            long seed) {
        List<Integer> ranked =
                switch (n) {
                    case POPULAR -> stats.popularAbsent(present);
                    case ADVERSARIAL -> stats.adversarialAbsent(present);
                    case RANDOM ->
                            shuffled(
                                    absentClasses(present, classes),
                                    rng(seed, imageId, 0x4142534EL));
                };
        return new TreeSet<>(ranked.subList(0, Math.min(count, ranked.size())));
    }

    private static SplittableRandom rng(long seed, long imageId, long stream) {
        long h = seed * 0x9E3779B97F4A7C15L + imageId;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + stream;
        return new SplittableRandom(h ^ (h >>> 29));
    }

    /**
     * The classes 0..{@code classes}-1 not in {@code present}, ascending, in a list the caller may
     * change.
     */
    static List<Integer> absentClasses(SortedSet<Integer> present, int classes) {
        List<Integer> absent = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            if (!present.contains(c)) {
                absent.add(c);
            }
        }
        return absent;
    }

    /** Shuffles {@code l} in place (Fisher–Yates) and returns it. */
    static List<Integer> shuffled(List<Integer> l, SplittableRandom rng) {
        for (int i = l.size() - 1; i > 0; i--) { // Fisher–Yates
            int k = rng.nextInt(i + 1);
            l.set(k, l.set(i, l.get(k)));
        }
        return l;
    }
}
