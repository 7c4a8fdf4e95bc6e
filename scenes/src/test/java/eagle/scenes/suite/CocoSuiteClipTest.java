package eagle.scenes.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.text.WordTokenizer;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.coco.CocoExport;
import eagle.scenes.experiment.ClipSuiteEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A COCO suite scored by a real (tiny, random) CLIP through {@link ClipSuiteEncoder}: masks on its
 * patch grid.
 */
class CocoSuiteClipTest {

    @TempDir Path dir;

    @Test
    void aClipEncoderScoresTheSuiteWithMaskedInstancesAndIntervals() {
        SceneGenerator gen = SceneGenerator.standard(64);
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            scenes.add(gen.generate(500 + i));
        }
        Path json = CocoExport.write(scenes, gen.taxonomy(), dir.resolve("set"));
        CocoSuiteConfig cfg = new CocoSuiteConfig(0.25, 5, 16, 0.1, 0, gen.taxonomy().template());
        CocoSuite suite = CocoSuiteBuilder.build(json, json.getParent(), cfg);

        TreeSet<String> words = new TreeSet<>();
        suite.classPrompts()
                .forEach(
                        p ->
                                words.addAll(
                                        Arrays.asList(
                                                p.toLowerCase(Locale.ROOT).split("[^a-z]+"))));
        suite.mmvp()
                .forEach(
                        p -> {
                            words.addAll(
                                    Arrays.asList(
                                            p.firstStatement()
                                                    .toLowerCase(Locale.ROOT)
                                                    .split("[^a-z]+")));
                            words.addAll(
                                    Arrays.asList(
                                            p.secondStatement()
                                                    .toLowerCase(Locale.ROOT)
                                                    .split("[^a-z]+")));
                        });
        words.remove("");
        WordTokenizer tokenizer = new WordTokenizer(new ArrayList<>(words), 16);
        try (ClipModel model =
                        ClipModel.create(ClipConfig.tiny(tokenizer.vocabSize()), Device.cpu(), 1);
                ClipSuiteEncoder enc = new ClipSuiteEncoder(model, tokenizer)) {
            SuiteResult r =
                    SuiteRunner.run(
                            enc,
                            suite,
                            new SuiteRunner.Options(
                                    8,
                                    SuiteRunner.MmvpRepresentation.MAX_PATCH,
                                    new eagle.core.eval.Bootstrap.Options(50, 0.95, 0)));
            assertEquals(suite.id(), r.suiteId());
            assertEquals(suite.zeroShotItems().size(), r.counts().get("zeroshot_images"));
            assertEquals(suite.mmvp().size(), r.counts().get("mmvp_pairs"));
            for (String m :
                    List.of(
                            "zeroshot_cls",
                            "zeroshot_seq",
                            "pope.popular.accuracy",
                            "mmvp.pair_accuracy")) {
                assertTrue(
                        Double.isFinite(r.ci().get(m).lower())
                                && r.ci().get(m).lower() <= r.ci().get(m).upper(),
                        m + " " + r.ci().get(m));
            }
            // the Seq feature is the masked average, not the mean over every patch
            ZeroShotItem item = suite.zeroShotItems().get(0);
            float[][] patches = enc.imagePatches(List.of(item.image()))[0]; // (P, D)
            float[] masked = ZeroShotScoring.maskedMean(patches, item.mask(), enc.inputSize());
            float[] mean = eagle.core.eval.Vectors.meanRow(patches);
            assertFalse(Arrays.equals(masked, mean));
        }
    }
}
