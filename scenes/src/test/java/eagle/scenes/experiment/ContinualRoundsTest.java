package eagle.scenes.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.eval.Bootstrap;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.text.WordTokenizer;
import eagle.core.train.TrainingConfig;
import eagle.core.train.TrainingSample;
import eagle.scenes.SceneGenerator;
import eagle.scenes.suite.SuiteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continual rounds end to end on a tiny fresh base and a tiny suite (wiring, not quality), and
 * their parts.
 */
class ContinualRoundsTest {

    static EmbeddedBase tinyBase(Path dir) throws Exception {
        SceneGenerator generator = SceneGenerator.standard(64);
        TreeSet<String> words = new TreeSet<>();
        generator
                .taxonomy()
                .prompts()
                .forEach(
                        p ->
                                words.addAll(
                                        Arrays.asList(
                                                p.toLowerCase(Locale.ROOT).split("[^a-z]+"))));
        words.remove("");
        WordTokenizer tokenizer = new WordTokenizer(new ArrayList<>(words), 16);
        Files.createDirectories(dir);
        try (ClipModel model =
                ClipModel.create(ClipConfig.tiny(tokenizer.vocabSize()), Device.cpu(), 1)) {
            model.save(dir.resolve(EmbeddedBase.MODEL));
        }
        Files.writeString(dir.resolve(EmbeddedBase.TOKENIZER), tokenizer.toJson());
        return new EmbeddedBase(dir);
    }

    @Test
    void twoRoundsChainTheBlessedWeightsAndWriteEveryMetricPerRound(@TempDir Path dir)
            throws Exception {
        EmbeddedBase base = tinyBase(dir.resolve("base"));
        Arm arm =
                new Arm(
                        "eagle_galore",
                        TrainingConfig.defaults(2).withBatchImages(4).withGaloreRank(4));
        SuiteConfig suite = new SuiteConfig(16, 8, 8, 1, 50);
        RoundGate blessAll =
                RoundGate.parse(
                        "{\"thresholds\":[{\"metric\":\"zeroshot_cls\",\"direction\":\"higher\",\"lower\":0}]}",
                        "bless-all");
        ContinualRounds.Result result =
                ContinualRounds.run(
                        base,
                        suite,
                        arm,
                        2,
                        6,
                        4,
                        blessAll,
                        ContinualRounds.Anchor.PARENT,
                        1.0,
                        FineTuningScenes.DEFAULT);
        JsonNode json =
                new ObjectMapper()
                        .readTree(
                                ContinualRounds.write(result, dir.resolve("out"), "test", 1.0)
                                        .toString());

        JsonNode rounds = json.path("rounds");
        assertEquals(2, rounds.size());
        assertEquals(FineTuningScenes.DEFAULT_COUNTED, json.path("train_counted").asDouble());
        JsonNode r1 = rounds.get(0);
        JsonNode r2 = rounds.get(1);
        assertEquals("base", r1.path("parent").asText());
        assertEquals(json.path("base").path("weights").asText(), r1.path("start_weights").asText());
        assertTrue(r1.path("blessed").asBoolean());
        assertNotEquals(
                r1.path("start_weights").asText(),
                r1.path("end_weights").asText(),
                "round 1 trained");
        // round 2 starts from round 1's blessed weights
        assertEquals("round 1", r2.path("parent").asText());
        assertEquals(r1.path("end_weights").asText(), r2.path("start_weights").asText());
        assertEquals(0, r1.path("training").path("replayed_images").asInt());
        assertTrue(
                r2.path("training").path("replayed_images").asInt() > 0,
                "round 2 replays round 1's scenes");
        for (JsonNode r : rounds) {
            for (String path :
                    List.of(
                            "zeroshot_cls",
                            "zeroshot_seq",
                            "pope/adversarial/fpr",
                            "mmvp/pair_accuracy")) {
                double v = r.path("candidate").at("/" + path).asDouble(-1);
                assertTrue(v >= 0 && v <= 1, path + " = " + v);
            }
            assertEquals(
                    r.path("candidate").path("zeroshot_cls").asDouble(),
                    r.path("production").path("zeroshot_cls").asDouble(),
                    "blessed: production is the candidate");
        }
        assertEquals("bless-all", json.path("gate").path("source").asText());
        assertEquals("parent", json.path("retention_anchor").asText());
        assertEquals(1.0, json.path("later_lr_scale").asDouble(), 0.0);
        assertEquals(2, json.path("arm").path("config").path("totalSteps").asInt());

        String html = Files.readString(dir.resolve("out/report.html"));
        for (String metric : result.base().metrics().keySet()) {
            assertTrue(html.contains(">" + metric + "</text>"), "a chart for " + metric);
        }
        assertTrue(html.contains("blessed") && html.contains(result.suite().id()));
    }

    @Test
    void aRejectedRoundLeavesProductionWhereItWas(@TempDir Path dir) throws Exception {
        EmbeddedBase base = tinyBase(dir.resolve("base"));
        Arm arm =
                new Arm(
                        "eagle_galore",
                        TrainingConfig.defaults(1).withBatchImages(2).withGaloreRank(4));
        RoundGate rejectAll =
                RoundGate.parse(
                        "{\"thresholds\":[{\"metric\":\"zeroshot_cls\",\"direction\":\"higher\",\"lower\":2}]}",
                        "reject-all");
        ContinualRounds.Result result =
                ContinualRounds.run(
                        base,
                        new SuiteConfig(16, 8, 8, 1, 50),
                        arm,
                        2,
                        4,
                        4,
                        rejectAll,
                        ContinualRounds.Anchor.BASE,
                        0.5,
                        FineTuningScenes.STANDARD);
        ContinualRounds.Round r1 = result.rounds().get(0);
        ContinualRounds.Round r2 = result.rounds().get(1);
        assertFalse(r1.verdict().blessed());
        assertEquals("base", r2.parent());
        assertEquals(result.baseWeights(), r2.startWeights());
        assertEquals(result.base().metrics(), r2.production().metrics());
        assertEquals(0.5, result.laterLrScale(), 0.0);
        IllegalArgumentException zero =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ContinualRounds.run(
                                        base,
                                        new SuiteConfig(16, 8, 8, 1, 50),
                                        arm,
                                        2,
                                        4,
                                        4,
                                        rejectAll,
                                        ContinualRounds.Anchor.BASE,
                                        0,
                                        FineTuningScenes.STANDARD));
        assertTrue(zero.getMessage().contains("--later-lr-scale"), zero.getMessage());
    }

    /** The base's (and an unchanged production's) gated values in the gate tests below. */
    private static final Map<String, Double> BASE_VALUES =
            Map.of(
                    "zeroshot_cls",
                    0.40,
                    "zeroshot_seq",
                    0.20,
                    "pope.adversarial.fpr",
                    0.40,
                    "mmvp.pair_accuracy",
                    0.30);

    /** 90 of 300 MMVP pairs right, the first 90: the 0.30 the value maps below say. */
    private static final boolean[] MMVP_OUTCOMES = firstRight(90, 300);

    private static boolean[] firstRight(int right, int n) {
        boolean[] out = new boolean[n];
        java.util.Arrays.fill(out, 0, right, true);
        return out;
    }

    /**
     * Values with the MMVP outcomes above, and Seq and adversarial-FPR outcomes that match their
     * values (2,000 images, 1,500 questions about absent objects).
     */
    private static RoundGate.Scores s(Map<String, Double> values) {
        Map<String, boolean[]> outcomes = new HashMap<>();
        outcomes.put("mmvp.pair_accuracy", MMVP_OUTCOMES);
        matching(values, "zeroshot_seq", 2000, outcomes);
        matching(values, "pope.adversarial.fpr", 1500, outcomes);
        return new RoundGate.Scores(values, outcomes);
    }

    private static void matching(
            Map<String, Double> values, String metric, int items, Map<String, boolean[]> out) {
        Double v = values.get(metric);
        if (v != null && v >= 0 && v <= 1) {
            out.put(metric, firstRight((int) Math.round(v * items), items));
        }
    }

    /** {@link #s} with other MMVP outcomes. */
    private static RoundGate.Scores withMmvp(Map<String, Double> values, boolean[] mmvp) {
        Map<String, boolean[]> outcomes = new HashMap<>(s(values).outcomes());
        outcomes.put("mmvp.pair_accuracy", mmvp);
        return new RoundGate.Scores(values, outcomes);
    }

    @Test
    void pairedBoundsDrawWithTheCandidatesBootstrapOptionsAt95Percent() {
        Map<String, Double> values = new HashMap<>(BASE_VALUES);
        values.put("mmvp.pair_accuracy", 88 / 300.0);
        boolean[] mmvp = new boolean[300]; // 59 pairs right for both, 29 only here, 31 only in base
        java.util.Arrays.fill(mmvp, 31, 119, true);
        Bootstrap.Options suite = new Bootstrap.Options(200, 0.8, 7L);
        RoundGate.Scores candidate =
                new RoundGate.Scores(values, withMmvp(values, mmvp).outcomes(), suite);
        RoundGate.Scores base = s(BASE_VALUES);
        RoundGate.Verdict v = RoundGate.defaults().evaluate(candidate, base, base);

        boolean[] reference = base.outcomes().get("mmvp.pair_accuracy");
        Bootstrap.Interval drawn =
                Bootstrap.pairedDifferenceCi(mmvp, reference, new Bootstrap.Options(200, 0.95, 7L));
        Bootstrap.Interval defaults =
                Bootstrap.pairedDifferenceCi(mmvp, reference, Bootstrap.Options.defaults());
        String expected =
                String.format(Locale.ROOT, "[%+.4f, %+.4f]", drawn.lower(), drawn.upper());
        assertNotEquals(
                expected,
                String.format(Locale.ROOT, "[%+.4f, %+.4f]", defaults.lower(), defaults.upper()));
        assertTrue(
                v.passes().stream()
                        .anyMatch(p -> p.startsWith("mmvp.pair_accuracy") && p.contains(expected)),
                v.passes().toString());
        assertEquals(Bootstrap.Options.defaults(), RoundGate.Scores.of(BASE_VALUES).bootstrap());
    }

    @Test
    void mmvpIsGatedPairedAFewPairsLostPassAClearLossDoesNot() {
        RoundGate gate = RoundGate.defaults();
        Map<String, Double> base = BASE_VALUES;
        Map<String, Double> values = new HashMap<>(base);
        values.put("mmvp.pair_accuracy", 88 / 300.0);
        boolean[] twoLost = firstRight(88, 300);
        RoundGate.Verdict v = gate.evaluate(withMmvp(values, twoLost), s(base), s(base));
        assertTrue(v.blessed(), v.failures().toString());
        assertTrue(
                v.passes().stream().anyMatch(p -> p.contains("paired diff vs baseline -0.0067")),
                v.passes().toString());
        values.put("mmvp.pair_accuracy", 60 / 300.0);
        RoundGate.Verdict clear =
                gate.evaluate(withMmvp(values, firstRight(60, 300)), s(base), s(base));
        assertEquals(2, clear.failures().size(), clear.failures().toString()); // baseline, base
        RoundGate.Verdict none = gate.evaluate(RoundGate.Scores.of(base), s(base), s(base));
        assertFalse(none.blessed());
        assertTrue(
                none.failures().get(0).contains("candidate has none"), none.failures().toString());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RoundGate.parse(
                                "{\"thresholds\":[{\"metric\":\"m\",\"direction\":\"higher\","
                                        + "\"changes\":[{\"against\":\"base\",\"relative\":0,\"paired\":true}]}]}",
                                "paired relative"));
    }

    @Test
    void theDefaultGateIsThePlatformsDefault() {
        RoundGate gate = RoundGate.defaults();
        assertEquals(
                List.of(
                        "zeroshot_cls",
                        "zeroshot_seq",
                        "pope.adversarial.fpr",
                        "mmvp.pair_accuracy"),
                gate.thresholds().stream().map(RoundGate.Threshold::metric).toList());
        Map<String, Double> base = BASE_VALUES;
        assertTrue(
                gate.evaluate(s(base), s(base), s(base)).blessed(),
                "no change passes the zero-margin thresholds");

        Map<String, Double> better = new HashMap<>(base);
        better.put("zeroshot_seq", 0.25);
        better.put("pope.adversarial.fpr", 0.35);
        better.put("zeroshot_cls", 0.391); // −0.009 from baseline and base: within −0.01 and −0.02
        assertTrue(
                gate.evaluate(s(better), s(base), s(base)).blessed(),
                gate.evaluate(s(better), s(base), s(base)).failures().toString());

        Map<String, Double> clsDrop = new HashMap<>(better);
        clsDrop.put("zeroshot_cls", 0.385); // −0.015 from the baseline
        RoundGate.Verdict v = gate.evaluate(s(clsDrop), s(base), s(base));
        assertFalse(v.blessed());
        assertEquals(1, v.failures().size(), v.failures().toString());
        assertTrue(
                v.failures().get(0).startsWith("zeroshot_cls")
                        && v.failures().get(0).contains("baseline"));

        Map<String, Double> baseline = new HashMap<>(base);
        baseline.put("zeroshot_cls", 0.385); // an earlier round already gave up 0.015
        Map<String, Double> drifted = new HashMap<>(better);
        drifted.put(
                "zeroshot_cls",
                0.378); // −0.007 from the baseline passes; −0.022 from the base fails
        RoundGate.Verdict drift = gate.evaluate(s(drifted), s(baseline), s(base));
        assertEquals(1, drift.failures().size(), drift.failures().toString());
        assertTrue(drift.failures().get(0).contains("base "), drift.failures().toString());

        // the adversarial FPR is paired: 30 questions no longer answered yes and 35 newly yes (net
        // 5 of 1,500, +0.003) is inside the suite's resolution and passes; 0.05 up fails against
        // the baseline and the base
        boolean[] flipped = firstRight(600, 1500); // the base's 0.40
        java.util.Arrays.fill(flipped, 0, 30, false);
        java.util.Arrays.fill(flipped, 600, 635, true);
        Map<String, Double> fprNoise = new HashMap<>(better);
        fprNoise.put("pope.adversarial.fpr", 605 / 1500.0);
        Map<String, boolean[]> noiseOutcomes = new HashMap<>(s(fprNoise).outcomes());
        noiseOutcomes.put("pope.adversarial.fpr", flipped);
        RoundGate.Verdict noise =
                gate.evaluate(new RoundGate.Scores(fprNoise, noiseOutcomes), s(base), s(base));
        assertTrue(noise.blessed(), noise.failures().toString());
        Map<String, Double> fprUp = new HashMap<>(better);
        fprUp.put("pope.adversarial.fpr", 0.45);
        RoundGate.Verdict up = gate.evaluate(s(fprUp), s(base), s(base));
        assertEquals(2, up.failures().size(), up.failures().toString());
        assertTrue(
                up.failures().stream().allMatch(f -> f.startsWith("pope.adversarial.fpr")),
                up.failures().toString());
        Map<String, Double> missing = new HashMap<>(better);
        missing.remove("mmvp.pair_accuracy");
        assertFalse(
                gate.evaluate(s(missing), s(base), s(base)).blessed(),
                "fail closed on a missing metric");
        Map<String, Double> nan = new HashMap<>(better);
        nan.put("zeroshot_seq", Double.NaN);
        assertFalse(gate.evaluate(s(nan), s(base), s(base)).blessed(), "fail closed on NaN");
    }

    @Test
    void gateFilesReadRelativeBoundsAndFailUnknownDirectionsClosed() {
        RoundGate gate =
                RoundGate.parse(
                        "{\"thresholds\":[{\"metric\":\"pope.adversarial.fpr\",\"direction\":\"lower\","
                                + "\"changes\":[{\"against\":\"base\",\"relative\":-0.25}]}]}",
                        "relative");
        assertTrue(
                gate.evaluate(
                                s(Map.of("pope.adversarial.fpr", 0.30)),
                                null,
                                s(Map.of("pope.adversarial.fpr", 0.40)))
                        .blessed()); // −25%
        assertFalse(
                gate.evaluate(
                                s(Map.of("pope.adversarial.fpr", 0.31)),
                                null,
                                s(Map.of("pope.adversarial.fpr", 0.40)))
                        .blessed());
        assertFalse(
                gate.evaluate(
                                s(Map.of("pope.adversarial.fpr", 0.0)),
                                null,
                                s(Map.of("pope.adversarial.fpr", 0.0)))
                        .blessed(),
                "a relative change against 0 is undefined");
        RoundGate sideways =
                RoundGate.parse(
                        "{\"thresholds\":[{\"metric\":\"zeroshot_cls\",\"direction\":\"up\","
                                + "\"lower\":0}]}",
                        "sideways");
        assertFalse(sideways.evaluate(s(Map.of("zeroshot_cls", 0.5)), null, null).blessed());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RoundGate.parse(
                                "{\"thresholds\":[{\"metric\":\"x\","
                                        + "\"direction\":\"higher\",\"changes\":[{\"against\":\"parent\",\"absolute\":0}]}]}",
                                "bad"));
        assertThrows(IllegalArgumentException.class, () -> RoundGate.parse("{}", "empty"));
    }

    @Test
    void theReplayBufferKeepsAnEvenShareOfEachClass() {
        ReplayPool pool = new ReplayPool(6, 3);
        List<TrainingSample> offered = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            TrainingSample s =
                    new TrainingSample(
                            "img-" + i,
                            new float[0],
                            List.of(new TrainingSample.Instance(i % 3, new float[0])));
            offered.add(s);
            pool.offer(s);
        }
        assertEquals(2, pool.perClassCapacity());
        List<TrainingSample> kept = pool.samples();
        assertEquals(6, kept.size());
        for (int c = 0; c < 3; c++) {
            int cls = c;
            assertEquals(
                    2, kept.stream().filter(s -> s.instances().get(0).classId() == cls).count());
        }
        assertTrue(
                kept.stream().anyMatch(s -> offered.indexOf(s) >= 6),
                "later images replace earlier ones");
        ReplayPool none = new ReplayPool(0, 1);
        none.offer(offered.get(0));
        assertEquals(0, none.size());
    }
}
