package eagle.scenes.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.eval.Bootstrap;
import eagle.core.mask.BinaryMask;
import eagle.scenes.Instance;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SuiteRunnerTest {

    static Suite suite;
    static final SuiteRunner.Options FAST =
            new SuiteRunner.Options(
                    16,
                    SuiteRunner.MmvpRepresentation.MAX_PATCH,
                    new Bootstrap.Options(200, 0.95, 1));

    @BeforeAll
    static void build() {
        suite = Suite.build(SceneGenerator.standard(), new SuiteConfig(64, 40, 20, 3, 400));
    }

    /**
     * Hand-built features that know the masks. Dimensions: [0, C) one per class, C background, C+1
     * a "blind" dimension no image uses, then one per distinct MMVP statement. A patch (8×8 grid)
     * holds, per class, the fraction of the patch its instances cover, 0.05 of background, and the
     * unit vector of its image's own MMVP statement (or, when swapped, of the other statement).
     * Class c's text is e_c when known(c), else the blind dimension.
     */
    static final class OracleEncoder implements SuiteEncoder {
        final Map<BufferedImage, Scene> scenes = new IdentityHashMap<>();
        final Map<BufferedImage, String> statementOf = new IdentityHashMap<>();
        final Map<String, Integer> statementDim = new HashMap<>();
        final IntPredicate known;
        final int c;
        final int d;

        OracleEncoder(Suite s, IntPredicate known, boolean swapped) {
            this.known = known;
            this.c = s.taxonomy().size();
            List<Scene> all = new java.util.ArrayList<>(s.zeroShot());
            all.addAll(s.pope().images());
            all.addAll(s.calibration().images());
            for (Scene sc : all) {
                scenes.put(sc.image(), sc);
            }
            for (MmvpPair p : s.mmvp()) {
                scenes.put(p.first().image(), p.first());
                scenes.put(p.second().image(), p.second());
                statementOf.put(
                        p.first().image(), swapped ? p.secondStatement() : p.firstStatement());
                statementOf.put(
                        p.second().image(), swapped ? p.firstStatement() : p.secondStatement());
                statementDim.putIfAbsent(p.firstStatement(), c + 2 + statementDim.size());
                statementDim.putIfAbsent(p.secondStatement(), c + 2 + statementDim.size());
            }
            this.d = c + 2 + statementDim.size();
        }

        float[] base(BufferedImage img) {
            float[] v = new float[d];
            v[c] = 0.05f;
            String st = statementOf.get(img);
            if (st != null) {
                v[statementDim.get(st)] = 1;
            }
            return v;
        }

        @Override
        public float[][] imageCls(List<BufferedImage> imgs) {
            float[][] out = new float[imgs.size()][];
            for (int b = 0; b < imgs.size(); b++) {
                float[] v = base(imgs.get(b));
                for (Instance i : scene(imgs.get(b)).instances()) {
                    v[i.classId()] += i.mask().area() / 64f;
                }
                out[b] = v;
            }
            return out;
        }

        @Override
        public float[][][] imagePatches(List<BufferedImage> imgs) {
            float[][][] out = new float[imgs.size()][64][];
            for (int b = 0; b < imgs.size(); b++) {
                Scene s = scene(imgs.get(b));
                for (int p = 0; p < 64; p++) {
                    float[] v = base(imgs.get(b));
                    for (Instance i : s.instances()) {
                        v[i.classId()] += cover(i.mask(), p / 8, p % 8) / 64f;
                    }
                    out[b][p] = v;
                }
            }
            return out;
        }

        @Override
        public float[][] texts(List<String> prompts) {
            float[][] out = new float[prompts.size()][d];
            for (int t = 0; t < prompts.size(); t++) {
                int cls = suite.taxonomy().prompts().indexOf(prompts.get(t));
                if (cls >= 0) {
                    out[t][known.test(cls) ? cls : c + 1] = 1;
                } else {
                    out[t][statementDim.get(prompts.get(t))] = 1;
                }
            }
            return out;
        }

        Scene scene(BufferedImage img) {
            Scene s = scenes.get(img);
            if (s == null) {
                throw new AssertionError("runner passed an image that is not the suite's object");
            }
            return s;
        }

        static int cover(BinaryMask m, int py, int px) {
            int n = 0;
            for (int y = py * 8; y < py * 8 + 8; y++) {
                for (int x = px * 8; x < px * 8 + 8; x++) {
                    n += m.get(y, x) ? 1 : 0;
                }
            }
            return n;
        }
    }

    /** Every feature and every text the same vector. */
    static final class ConstantEncoder implements SuiteEncoder {
        @Override
        public float[][] imageCls(List<BufferedImage> imgs) {
            float[][] o = new float[imgs.size()][4];
            for (float[] r : o) {
                Arrays.fill(r, 1);
            }
            return o;
        }

        @Override
        public float[][][] imagePatches(List<BufferedImage> imgs) {
            float[][][] o = new float[imgs.size()][5][4];
            for (float[][] im : o) {
                for (float[] r : im) {
                    Arrays.fill(r, 1);
                }
            }
            return o;
        }

        @Override
        public float[][] texts(List<String> prompts) {
            return imageCls(java.util.Collections.nCopies(prompts.size(), null));
        }
    }

    @Test
    void oracleScoresPerfectly() {
        for (SuiteRunner.MmvpRepresentation rep : SuiteRunner.MmvpRepresentation.values()) {
            SuiteResult r =
                    SuiteRunner.run(
                            new OracleEncoder(suite, c -> true, false),
                            suite,
                            new SuiteRunner.Options(16, rep, new Bootstrap.Options(100, 0.95, 1)));
            assertEquals(1.0, r.zeroshotCls());
            assertEquals(1.0, r.zeroshotSeq());
            for (NegativeSampling n : NegativeSampling.values()) {
                assertEquals(1.0, r.pope().get(n).accuracy(), n.key());
                assertEquals(0.0, r.pope().get(n).fpr());
                assertEquals(0.5, r.pope().get(n).yesRatio());
            }
            assertEquals(1.0, r.mmvpPairAccuracy(), rep.toString());
            assertEquals(1.0, r.calibrationAccuracy());
            assertTrue(r.threshold() > 0, "absent classes score exactly 0");
        }
    }

    @Test
    void swappedStatementsScoreZeroOnMmvp() {
        SuiteResult r = SuiteRunner.run(new OracleEncoder(suite, c -> true, true), suite, FAST);
        assertEquals(0.0, r.mmvpPairAccuracy());
        r.mmvpByKind().values().forEach(v -> assertEquals(0.0, v));
    }

    @Test
    void constantEncoderIsAtChance() {
        SuiteResult r = SuiteRunner.run(new ConstantEncoder(), suite, FAST);
        // all cosines equal → argmax picks class 0 → the 2 images of class 0 out of 64 are right
        assertEquals(2.0 / 64, r.zeroshotCls());
        assertEquals(2.0 / 64, r.zeroshotSeq());
        for (NegativeSampling n : NegativeSampling.values()) {
            // all scores tie, so a threshold gives all yes or all no; the balanced rule wants as
            // many yes as true questions (half) and, both being as far from it, says fewer yes →
            // all no
            assertEquals(0.0, r.pope().get(n).yesRatio());
            assertEquals(0.5, r.pope().get(n).accuracy());
            assertEquals(0.0, r.pope().get(n).fpr());
        }
        assertEquals(0.0, r.mmvpPairAccuracy()); // ties never count
    }

    /** An oracle blind to odd classes: it answers yes exactly for present even classes. */
    @Test
    void halfOracleMatchesIndependentCounts() {
        SuiteResult r =
                SuiteRunner.run(new OracleEncoder(suite, c -> c % 2 == 0, false), suite, FAST);
        // zero-shot: labels are i mod 32, so half are even → correct; odd ones tie at 0 → class 0,
        // wrong
        assertEquals(0.5, r.zeroshotCls());
        for (NegativeSampling n : NegativeSampling.values()) {
            int tp = 0;
            int fn = 0;
            int tn = 0;
            for (PopeQuestion q : suite.pope().questions(n)) {
                boolean yes = q.truth() && q.classId() % 2 == 0;
                tp += yes ? 1 : 0;
                fn += q.truth() && !yes ? 1 : 0;
                tn += q.truth() ? 0 : 1;
            }
            int total = tp + fn + tn;
            assertEquals((double) (tp + tn) / total, r.pope().get(n).accuracy(), 1e-12);
            assertEquals((double) tp / (tp + fn), r.pope().get(n).recall(), 1e-12);
            assertEquals(1.0, r.pope().get(n).precision());
            assertEquals((double) tp / total, r.pope().get(n).yesRatio(), 1e-12);
            for (String m : List.of("accuracy", "recall", "f1", "yes_ratio")) {
                Bootstrap.Interval iv = r.ci().get("pope." + n.key() + "." + m);
                double v = r.metrics().get("pope." + n.key() + "." + m);
                assertTrue(
                        iv.lower() <= v && v <= iv.upper() && iv.lower() < iv.upper(),
                        m + " " + iv);
            }
        }
    }

    @Test
    void jsonLayoutAndRoundTrip() throws Exception {
        SuiteResult r =
                SuiteRunner.run(new OracleEncoder(suite, c -> c % 2 == 0, false), suite, FAST);
        JsonNode j = new ObjectMapper().readTree(r.toJson());
        assertEquals(suite.id(), j.get("suite_id").asText());
        assertEquals(r.zeroshotCls(), j.get("zeroshot_cls").asDouble());
        assertEquals(r.zeroshotSeq(), j.get("zeroshot_seq").asDouble());
        for (String split : List.of("random", "popular", "adversarial")) {
            for (String m : List.of("accuracy", "precision", "recall", "f1", "fpr", "yes_ratio")) {
                assertTrue(j.get("pope").get(split).get(m).isNumber(), split + "." + m);
                JsonNode iv = j.get("ci").get("pope").get(split).get(m);
                assertTrue(iv.get("lower").asDouble() <= iv.get("upper").asDouble());
            }
        }
        assertEquals(r.mmvpPairAccuracy(), j.get("mmvp").get("pair_accuracy").asDouble());
        assertTrue(j.get("ci").get("mmvp").get("pair_accuracy").has("lower"));
        assertTrue(j.get("ci").get("zeroshot_cls").has("upper"));
        assertEquals(40, j.get("counts").get("pope_images").asInt());
        SuiteResult back = SuiteResult.fromJson(r.toJson());
        assertEquals(r.metrics(), back.metrics());
        assertEquals(r.ci(), back.ci());
        assertEquals(r.suiteId(), back.suiteId());
        assertEquals(r.threshold(), back.threshold());
        // each outcome's mean is its metric: items right, or absent objects answered yes (FPR)
        for (String metric :
                List.of(
                        "zeroshot_cls",
                        "zeroshot_seq",
                        "mmvp.pair_accuracy",
                        "pope.random.fpr",
                        "pope.popular.fpr",
                        "pope.adversarial.fpr")) {
            boolean[] perItem = back.outcomesOf(metric);
            org.junit.jupiter.api.Assertions.assertArrayEquals(r.outcomesOf(metric), perItem);
            int right = 0;
            for (boolean ok : perItem) {
                right += ok ? 1 : 0;
            }
            assertEquals(r.metrics().get(metric), (double) right / perItem.length, 1e-12, metric);
        }
        // what a caller gets are copies: changing them changes nothing in the result
        boolean[] handed = r.outcomes().get("zeroshot_cls");
        boolean before = r.outcomesOf("zeroshot_cls")[0];
        handed[0] = !handed[0];
        assertEquals(before, r.outcomes().get("zeroshot_cls")[0]);
        // a result written before the outcomes were (an old metric cache) is not read as complete
        com.fasterxml.jackson.databind.node.ObjectNode old = r.toJsonTree();
        old.remove("outcomes");
        IllegalArgumentException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class, () -> SuiteResult.fromJson(old.toString()));
        assertTrue(e.getMessage().contains("outcomes"), e.getMessage());
        old.putObject("outcomes").put("zeroshot_cls", "01x");
        assertThrows(IllegalArgumentException.class, () -> SuiteResult.fromJson(old.toString()));
    }
}
