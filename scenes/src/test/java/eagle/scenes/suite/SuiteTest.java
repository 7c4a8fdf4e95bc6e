package eagle.scenes.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.scenes.Instance;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.SeedRanges;
import eagle.scenes.Taxonomy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SuiteTest {

    static final SuiteConfig TINY = new SuiteConfig(64, 40, 20, 3, 400);
    static SceneGenerator gen;
    static Suite suite;

    @BeforeAll
    static void build() {
        gen = SceneGenerator.standard();
        suite = Suite.build(gen, TINY);
    }

    @Test
    void suiteSeedsAreNeverTrainingSeeds() {
        List<Scene> all = new ArrayList<>(suite.zeroShot());
        all.addAll(suite.pope().images());
        all.addAll(suite.calibration().images());
        for (MmvpPair p : suite.mmvp()) {
            all.add(p.first());
            all.add(p.second());
        }
        Set<Long> popeSeeds = new HashSet<>();
        for (Scene s : all) {
            assertFalse(SeedRanges.isTraining(s.seed()), "seed " + s.seed());
        }
        suite.pope().images().forEach(s -> popeSeeds.add(s.seed()));
        suite.calibration().images().forEach(s -> assertFalse(popeSeeds.contains(s.seed())));
    }

    @Test
    void zeroShotImagesHaveOneObjectAndBalancedLabels() {
        int c = suite.taxonomy().size();
        int[] labels = suite.zeroShotLabels();
        assertEquals(64, labels.length);
        int[] perClass = new int[c];
        for (int i = 0; i < labels.length; i++) {
            Scene s = suite.zeroShot().get(i);
            assertEquals(1, s.instances().size());
            assertTrue(s.instances().get(0).mask().area() > 64, "dominant object");
            perClass[labels[i]]++;
        }
        for (int n : perClass) {
            assertEquals(2, n); // 64 images over 32 classes
        }
    }

    /** Counts computed here, independently of CooccurrenceStats, from the same training scenes. */
    @Test
    void negativesAreAbsentAndFollowTheirRule() {
        int c = suite.taxonomy().size();
        long[] freq = new long[c];
        long[][] co = new long[c][c];
        for (long seed = 0; seed < TINY.statsScenes(); seed++) {
            Set<Integer> present = new HashSet<>();
            for (Instance i : gen.generate(seed).instances()) {
                present.add(i.classId());
            }
            for (int a : present) {
                freq[a]++;
                for (int b : present) {
                    if (a != b) {
                        co[a][b]++;
                    }
                }
            }
        }
        List<Scene> images = suite.pope().images();
        int adversarialChecked = 0;
        for (NegativeSampling n : NegativeSampling.values()) {
            List<PopeQuestion> qs = suite.pope().questions(n);
            for (int img = 0; img < images.size(); img++) {
                SortedSet<Integer> present = new TreeSet<>();
                images.get(img).instances().forEach(i -> present.add(i.classId()));
                List<Integer> pos = new ArrayList<>();
                List<Integer> neg = new ArrayList<>();
                for (PopeQuestion q : qs) {
                    if (q.imageIndex() == img) {
                        (q.truth() ? pos : neg).add(q.classId());
                    }
                }
                assertEquals(new ArrayList<>(present), pos, "every present class is asked, once");
                assertEquals(present.size(), neg.size(), "as many absent as present");
                assertEquals(neg.size(), new HashSet<>(neg).size());
                for (int a : neg) {
                    assertFalse(present.contains(a), n + " negative " + a + " is present");
                }
                if (n == NegativeSampling.RANDOM) {
                    continue;
                }
                // every chosen negative scores at least as high as every absent class not chosen
                for (int chosen : neg) {
                    for (int other = 0; other < c; other++) {
                        if (present.contains(other) || neg.contains(other)) {
                            continue;
                        }
                        long sc =
                                n == NegativeSampling.POPULAR
                                        ? freq[chosen]
                                        : sum(co, present, chosen);
                        long so =
                                n == NegativeSampling.POPULAR
                                        ? freq[other]
                                        : sum(co, present, other);
                        assertTrue(
                                sc >= so,
                                n
                                        + " image "
                                        + img
                                        + ": chose "
                                        + chosen
                                        + " ("
                                        + sc
                                        + ") over "
                                        + other
                                        + " ("
                                        + so
                                        + ")");
                    }
                    if (n == NegativeSampling.ADVERSARIAL) {
                        adversarialChecked++;
                        assertTrue(
                                sum(co, present, chosen) > 0, "an adversarial negative co-occurs");
                    }
                }
            }
        }
        assertTrue(adversarialChecked >= 40);
        // the splits really differ
        assertNotEquals(
                suite.pope().questions(NegativeSampling.POPULAR),
                suite.pope().questions(NegativeSampling.ADVERSARIAL));
        assertNotEquals(
                suite.pope().questions(NegativeSampling.RANDOM),
                suite.pope().questions(NegativeSampling.POPULAR));
    }

    private static long sum(long[][] co, Set<Integer> present, int c) {
        long s = 0;
        for (int p : present) {
            s += co[p][c];
        }
        return s;
    }

    private static double centroidX(Instance i) {
        double sx = 0;
        for (int y = 0; y < i.mask().height(); y++) {
            for (int x = 0; x < i.mask().width(); x++) {
                sx += i.mask().get(y, x) ? x : 0;
            }
        }
        return sx / i.mask().area();
    }

    @Test
    void mmvpPairsDifferInTheirOneDetail() {
        Taxonomy t = suite.taxonomy();
        assertEquals(3 * MmvpKind.values().length, suite.mmvp().size());
        for (MmvpPair p : suite.mmvp()) {
            List<Instance> a = p.first().instances();
            List<Instance> b = p.second().instances();
            assertNotEquals(p.firstStatement(), p.secondStatement());
            switch (p.kind()) {
                case COLOUR -> {
                    assertEquals(1, a.size());
                    assertEquals(1, b.size());
                    assertEquals(
                            t.get(a.get(0).classId()).shape(), t.get(b.get(0).classId()).shape());
                    assertNotEquals(
                            t.get(a.get(0).classId()).colour(), t.get(b.get(0).classId()).colour());
                    assertEquals(a.get(0).mask(), b.get(0).mask());
                }
                case COUNT -> {
                    assertEquals(a.size() + 1, b.size());
                    assertEquals(1, p.first().presentClasses().size());
                    assertEquals(p.first().presentClasses(), p.second().presentClasses());
                }
                case POSITION -> assertTrue(centroidX(a.get(0)) < centroidX(b.get(0)));
                case PRESENCE -> {
                    assertEquals(2, p.first().presentClasses().size());
                    assertEquals(1, p.second().presentClasses().size());
                    assertTrue(p.first().presentClasses().containsAll(p.second().presentClasses()));
                }
                case SIZE -> assertTrue(a.get(0).mask().area() > 3 * b.get(0).mask().area());
                case ORIENTATION -> {
                    assertTrue(t.get(a.get(0).classId()).shape().hasOrientation());
                    assertNotEquals(a.get(0).mask(), b.get(0).mask());
                    assertTrue(p.firstStatement().contains("pointing up"));
                }
                default -> throw new AssertionError(p.kind());
            }
        }
    }

    @Test
    void suiteIdIsStableAndChangesWithAnyParameter() {
        SuiteConfig small = new SuiteConfig(8, 6, 4, 1, 50);
        String id = Suite.build(gen, small).id();
        assertEquals(id, Suite.build(SceneGenerator.standard(), small).id());
        assertNotEquals(id, Suite.build(gen, new SuiteConfig(8, 7, 4, 1, 50)).id());
        assertNotEquals(id, Suite.build(gen, new SuiteConfig(8, 6, 4, 1, 51)).id());
        assertNotEquals(id, Suite.build(SceneGenerator.standard(48), small).id());
        SceneGenerator otherTemplate =
                new SceneGenerator(
                        gen.taxonomy().withTemplate("a photo of a {c}"),
                        gen.config(),
                        gen.sceneTypes());
        assertNotEquals(id, Suite.build(otherTemplate, small).id());
        assertNotEquals(id, suite.id());
        assertEquals(16, id.length());
    }
}
