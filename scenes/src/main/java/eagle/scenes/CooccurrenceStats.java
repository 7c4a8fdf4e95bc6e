package eagle.scenes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Image-level class statistics of a sample of scenes: frequency[c] = number of images in which
 * class c is present, cooccurrence[a][b] = number of images in which both a and b (a ≠ b) are
 * present. POPE's "popular" negatives are the most frequent absent classes, its "adversarial"
 * negatives the absent classes with the largest Σ_{p ∈ present} cooccurrence[p][c].
 */
public record CooccurrenceStats(int images, long[] frequency, long[][] cooccurrence) {

    /** Counts over scenes. */
    public static CooccurrenceStats of(Iterable<Scene> scenes, int classes) {
        List<Set<Integer>> present = new ArrayList<>();
        for (Scene s : scenes) {
            present.add(s.presentClasses());
        }
        return ofPresence(present, classes);
    }

    /** Counts over images given by the set of classes present in each (ids in [0, classes)). */
    public static CooccurrenceStats ofPresence(List<? extends Set<Integer>> images, int classes) {
        long[] f = new long[classes];
        long[][] co = new long[classes][classes];
        int n = 0;
        for (Set<Integer> present : images) {
            n++;
            for (int a : present) {
                f[a]++;
                for (int b : present) {
                    if (a != b) {
                        co[a][b]++;
                    }
                }
            }
        }
        return new CooccurrenceStats(n, f, co);
    }

    /** The statistics of the training scenes with seeds [0, count) (the training distribution). */
    public static CooccurrenceStats ofTraining(SceneGenerator gen, int count) {
        List<Scene> scenes = new ArrayList<>();
        for (long s = 0; s < count; s++) {
            scenes.add(gen.generate(SeedRanges.requireTraining(s)));
        }
        return of(scenes, gen.taxonomy().size());
    }

    /** Classes not in {@code present}, most frequent first (ties: lower id first). */
    public List<Integer> popularAbsent(Set<Integer> present) {
        return absentSortedBy(present, c -> frequency[c]);
    }

    /**
     * Classes not in {@code present}, by Σ_{p ∈ present} cooccurrence[p][c] descending (ties: more
     * frequent first, then lower id).
     */
    public List<Integer> adversarialAbsent(Set<Integer> present) {
        return absentSortedBy(
                present,
                c -> {
                    long s = 0;
                    for (int p : present) {
                        s += cooccurrence[p][c];
                    }
                    return s;
                });
    }

    /** Σ_{p ∈ present} cooccurrence[p][c]. */
    public long cooccurrenceWith(Set<Integer> present, int c) {
        long s = 0;
        for (int p : present) {
            s += cooccurrence[p][c];
        }
        return s;
    }

    private List<Integer> absentSortedBy(
            Set<Integer> present, java.util.function.IntToLongFunction key) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < frequency.length; c++) {
            if (!present.contains(c)) {
                out.add(c);
            }
        }
        out.sort(
                Comparator.<Integer>comparingLong(c -> -key.applyAsLong(c))
                        .thenComparingLong(c -> -frequency[c])
                        .thenComparingInt(c -> c));
        return out;
    }
}
