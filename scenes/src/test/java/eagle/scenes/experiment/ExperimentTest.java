package eagle.scenes.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.model.ClipModel;
import eagle.core.train.TrainingConfig;
import eagle.scenes.SceneGenerator;
import eagle.scenes.suite.SuiteConfig;
import eagle.scenes.suite.SuiteRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiment end to end on a freshly initialised tiny base and a tiny suite (wiring, not
 * quality).
 */
class ExperimentTest {

    @Test
    void writesTheMetricsLayoutAndAReportAndLeavesTheBaseUntouched(@TempDir Path dir)
            throws Exception {
        Path baseDir = dir.resolve("base");
        float[] before;
        try (ClipModel model = ContinualRoundsTest.tinyBase(baseDir).loadModel()) {
            before =
                    model.parameter("visual.transformer.resblocks.0.mlp.c_fc.weight")
                            .toFloatArray();
        }

        TrainingConfig training = TrainingConfig.defaults(2).withBatchImages(4).withGaloreRank(4);
        Experiment.Result result =
                Experiment.run(
                        new EmbeddedBase(baseDir),
                        new SuiteConfig(16, 8, 8, 1, 50),
                        Arm.standard(training),
                        12);
        JsonNode metrics =
                new ObjectMapper()
                        .readTree(
                                Experiment.write(result, dir.resolve("out"), "test", 1.0)
                                        .toString());

        assertEquals(result.suite().id(), metrics.path("suite_id").asText());
        assertEquals(
                FineTuningScenes.DEFAULT_COUNTED,
                metrics.path("train_counted").asDouble(),
                "the default fine-tuning images are a quarter counted, and metrics.json says so");
        assertEquals(
                "max_patch",
                metrics.path("base").path("mmvp").path("representation").asText(),
                "by default MMVP is scored as the evaluator scores it");
        for (String arm : List.of("base", "eagle_galore", "eagle_full")) {
            JsonNode m = metrics.path(arm);
            for (String path : List.of("zeroshot_cls", "zeroshot_seq", "mmvp/pair_accuracy")) {
                double v = m.at("/" + path).asDouble(-1);
                assertTrue(v >= 0 && v <= 1, arm + "." + path + " = " + v);
            }
            for (String split : List.of("random", "popular", "adversarial")) {
                for (String k :
                        List.of("accuracy", "precision", "recall", "f1", "fpr", "yes_ratio")) {
                    JsonNode v = m.path("pope").path(split).path(k);
                    assertTrue(
                            v.isNumber() && v.asDouble() >= 0 && v.asDouble() <= 1,
                            arm + " pope." + split + "." + k);
                }
            }
        }
        assertEquals(
                2,
                metrics.path("eagle_full")
                        .path("training")
                        .path("config")
                        .path("totalSteps")
                        .asInt());
        assertEquals(7, metrics.path("goals").size(), metrics.path("goals").toString());
        // the GaLore-against-full goal carries the paired interval of the per-image CLS difference
        assertTrue(
                metrics.path("goals")
                        .get(6)
                        .path("measured")
                        .asText()
                        .contains("paired 95% interval ["),
                metrics.path("goals").get(6).toString());
        assertEquals(
                "adamw",
                metrics.path("eagle_full")
                        .path("training")
                        .path("config")
                        .path("optimizer")
                        .asText());
        String html = Files.readString(dir.resolve("out/report.html"));
        assertTrue(
                html.contains("<svg")
                        && html.contains("eagle_galore")
                        && html.contains(result.suite().id()));
        assertTrue(
                html.contains("Trade-off front")
                        && html.contains("POPE adversarial FPR (lower is better)")
                        && html.contains("Seq zero-shot (higher is better)"),
                "both fronts are drawn");

        // the arms trained copies: the base file on disk is unchanged
        try (ClipModel reloaded = new EmbeddedBase(baseDir).loadModel()) {
            float[] after =
                    reloaded.parameter("visual.transformer.resblocks.0.mlp.c_fc.weight")
                            .toFloatArray();
            assertTrue(Arrays.equals(before, after));
        }
        assertFalse(result.arms().get(0).losses().isEmpty());
    }

    @Test
    void heldOutClassesAddTheirZeroShotFiguresAndTwoGoals(@TempDir Path dir) throws Exception {
        EmbeddedBase base = ContinualRoundsTest.tinyBase(dir.resolve("base"));
        HeldOutClasses held =
                HeldOutClasses.parse("balanced", SceneGenerator.standard(64).taxonomy());
        TrainingConfig training = TrainingConfig.defaults(2).withBatchImages(4).withGaloreRank(4);
        Experiment.Result result =
                Experiment.run(
                        base,
                        new SuiteConfig(32, 8, 8, 1, 50),
                        Arm.standard(training),
                        12,
                        FineTuningScenes.STANDARD,
                        held,
                        SuiteRunner.MmvpRepresentation.CLS);
        JsonNode metrics =
                new ObjectMapper()
                        .readTree(
                                Experiment.write(result, dir.resolve("out"), "test", 1.0)
                                        .toString());
        assertEquals(held.names().size(), metrics.path("held_out_classes").size());
        for (String arm : List.of("base", "eagle_galore", "eagle_full")) {
            assertEquals(
                    "cls",
                    metrics.path(arm).path("mmvp").path("representation").asText(),
                    arm + ": MMVP scored as asked");
        }
        int[] labels = result.suite().zeroShotLabels();
        for (String arm : List.of("base", "eagle_galore", "eagle_full")) {
            JsonNode m = metrics.path(arm);
            // recomputed from the per-item outcomes and the labels, apart from HeldOutClasses
            String outcomes = m.path("outcomes").path("zeroshot_cls").asText();
            int heldItems = 0;
            int heldRight = 0;
            int trainedRight = 0;
            for (int i = 0; i < labels.length; i++) {
                boolean right = outcomes.charAt(i) == '1';
                if (held.names().contains(result.suite().taxonomy().name(labels[i]))) {
                    heldItems++;
                    heldRight += right ? 1 : 0;
                } else {
                    trainedRight += right ? 1 : 0;
                }
            }
            assertEquals(8, heldItems, "32 one-object images, one per class");
            assertEquals(heldItems, m.path("held_out").path("items").asInt());
            assertEquals(
                    heldRight / (double) heldItems,
                    m.path("held_out").path("zeroshot_cls").asDouble(),
                    1e-12,
                    arm);
            assertEquals(
                    trainedRight / (double) (labels.length - heldItems),
                    m.path("trained").path("zeroshot_cls").asDouble(),
                    1e-12,
                    arm);
            assertTrue(m.path("held_out").path("ci").path("zeroshot_seq").has("lower"), arm);
        }
        assertEquals(9, metrics.path("goals").size(), metrics.path("goals").toString());
        assertTrue(
                metrics.path("goals").get(8).path("goal").asText().contains("held-out classes"),
                metrics.path("goals").toString());
        // that goal too carries the paired interval over the held-out classes' items, and says
        // when the interval holds zero
        String measured = metrics.path("goals").get(8).path("measured").asText();
        java.util.regex.Matcher interval =
                java.util.regex.Pattern.compile(
                                "paired 95% interval \\[([-+.0-9]+), ([-+.0-9]+)\\]")
                        .matcher(measured);
        assertTrue(interval.find(), measured);
        boolean holdsZero =
                Double.parseDouble(interval.group(1)) <= 0
                        && Double.parseDouble(interval.group(2)) >= 0;
        assertEquals(holdsZero, measured.contains("the suite does not tell them apart"), measured);
        assertTrue(Report.summary(result).contains("held_out.zeroshot_cls"));
        assertTrue(
                Files.readString(dir.resolve("out/report.html"))
                        .contains("<td>held_out.zeroshot_seq</td>"));
        // with its interval over the held-out items, as every other row has one
        JsonNode heldSeq = metrics.path("eagle_galore").path("held_out");
        assertTrue(
                Files.readString(dir.resolve("out/report.html"))
                        .contains(
                                String.format(
                                        Locale.ROOT,
                                        "<td>%.3f <small>[%.3f, %.3f]</small></td>",
                                        heldSeq.path("zeroshot_seq").asDouble(),
                                        heldSeq.path("ci")
                                                .path("zeroshot_seq")
                                                .path("lower")
                                                .asDouble(),
                                        heldSeq.path("ci")
                                                .path("zeroshot_seq")
                                                .path("upper")
                                                .asDouble())));
    }

    @Test
    void theGoalsAreIssue18s() {
        java.util.Map<String, Double> base =
                new java.util.LinkedHashMap<>(
                        java.util.Map.of(
                                "zeroshot_cls",
                                0.60,
                                "zeroshot_seq",
                                0.20,
                                "pope.adversarial.fpr",
                                0.40,
                                "pope.adversarial.f1",
                                0.60,
                                "pope.random.fpr",
                                0.30,
                                "pope.popular.fpr",
                                0.35,
                                "mmvp.pair_accuracy",
                                0.30));
        java.util.Map<String, Double> arm =
                new java.util.LinkedHashMap<>(
                        java.util.Map.of(
                                "zeroshot_cls",
                                0.595,
                                "zeroshot_seq",
                                0.30,
                                "pope.adversarial.fpr",
                                0.30,
                                "pope.adversarial.f1",
                                0.60,
                                "pope.random.fpr",
                                0.18,
                                "pope.popular.fpr",
                                0.21,
                                "mmvp.pair_accuracy",
                                0.35));
        String[] kinds = {"colour", "count", "position", "presence", "size", "orientation"};
        for (int k = 0; k < kinds.length; k++) {
            base.put(ExperimentMetrics.KIND_PREFIX + kinds[k], 0.5);
            arm.put(ExperimentMetrics.KIND_PREFIX + kinds[k], k < 4 ? 0.6 : 0.5); // four of six up
        }
        List<Goals.Goal> met = Goals.of(base, arm, java.util.Map.of("zeroshot_cls", 0.595));
        assertEquals(7, met.size());
        assertTrue(met.stream().allMatch(Goals.Goal::met), met.toString());
        arm.put("zeroshot_seq", 0.29); // +0.09
        arm.put("pope.adversarial.f1", 0.59); // FPR −25% but F1 lower
        arm.put(ExperimentMetrics.KIND_PREFIX + "size", 0.4);
        arm.put(ExperimentMetrics.KIND_PREFIX + "colour", 0.5); // three of six up
        List<Goals.Goal> missed = Goals.of(base, arm, java.util.Map.of("zeroshot_cls", 0.60));
        assertEquals(
                List.of(false, true, false, true, true, false, false),
                missed.stream().map(Goals.Goal::met).toList(),
                missed.toString());
    }

    @Test
    void armSpecsParseAndBadOnesAreNamed() {
        TrainingConfig base = TrainingConfig.defaults(100);
        List<Arm> arms =
                Arm.parse("a:optimizer=adamw,lr=1e-4;b:rank=8,moments=reproject,tau=0.5", base);
        assertEquals("adamw", arms.get(0).config().optimizer());
        assertEquals(1e-4, arms.get(0).config().lr());
        assertEquals(8, arms.get(1).config().galoreRank());
        assertEquals(0.5f, arms.get(1).config().tau());
        List<Arm> text =
                Arm.parse(
                        "t:text-lambda=0.5,text-lr=0.1,scale=2,blocks=attn,wd=0.01,seed=7,"
                                + "weighting=class,patch=50,image=30,count=20,place=5,"
                                + "text-optimizer=adamw;"
                                + "f:text=frozen,blocks=resblocks\\.(2|3)\\.",
                        base);
        TrainingConfig t = text.get(0).config();
        assertEquals(0.5f, t.textRetentionLambda());
        assertEquals(0.1, t.textLrMultiplier());
        assertEquals(2.0, t.galoreScale());
        assertEquals("\\.attn\\.", t.trainableBlocks());
        assertEquals(0.01, t.weightDecay());
        assertEquals(7L, t.seed());
        assertEquals(eagle.core.method.LossWeighting.CLASS, t.lossWeighting());
        assertEquals(50f, t.patchLambda());
        assertEquals(0f, text.get(1).config().patchLambda());
        assertEquals(30f, t.imageLambda());
        assertEquals(0f, text.get(1).config().imageLambda());
        assertEquals(20f, t.countLambda());
        assertEquals(0f, text.get(1).config().countLambda());
        assertThrows(IllegalArgumentException.class, () -> Arm.parse("i:image=-1", base));
        assertThrows(IllegalArgumentException.class, () -> Arm.parse("n:count=-1", base));
        assertThrows(IllegalArgumentException.class, () -> Arm.parse("p:patch=-1", base));
        assertEquals(5f, t.placeLambda());
        assertEquals("adamw", t.textTowerOptimizer());
        assertEquals("", text.get(1).config().textOptimizer());
        assertThrows(IllegalArgumentException.class, () -> Arm.parse("s:place=-1", base));
        assertThrows(IllegalArgumentException.class, () -> Arm.parse("o:text-optimizer=sgd", base));
        assertEquals(
                eagle.core.method.LossWeighting.INSTANCE, text.get(1).config().lossWeighting());
        assertThrows(IllegalArgumentException.class, () -> Arm.parse("w:weighting=few", base));
        assertFalse(text.get(1).config().trainText());
        assertEquals("resblocks\\.(2|3)\\.", text.get(1).config().trainableBlocks());
        assertEquals(
                1.0,
                text.get(1).config().textLrMultiplier(),
                "untouched keys keep the base config's value");
        IllegalArgumentException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class, () -> Arm.parse("c:speed=3", base));
        assertTrue(
                e.getMessage().contains("text-lambda") && e.getMessage().contains("blocks"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("speed") && e.getMessage().contains("'c'"), e.getMessage());
    }
}
