package eagle.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import eagle.core.method.EagleLoss;
import eagle.core.method.MaskedAveragePooling;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.text.WordTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EagleTrainerTest {

    private static final int CLASSES = 4;

    /** Random images, each with 1–3 instances of random classes over random patch coverages. */
    static List<TrainingSample> samples(ClipConfig config, int count, long seed) {
        Random random = new Random(seed);
        int size = config.vision().imageSize();
        int grid = size / config.vision().patchSize();
        List<TrainingSample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] pixels = new float[3 * size * size];
            for (int k = 0; k < pixels.length; k++) {
                pixels[k] = (float) random.nextGaussian();
            }
            List<TrainingSample.Instance> instances = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int j = 0; j < n; j++) {
                float[] coverage = new float[grid * grid];
                int start = random.nextInt(coverage.length - 4);
                for (int p = start; p < start + 4; p++) {
                    coverage[p] = 0.25f + 0.75f * random.nextFloat();
                }
                instances.add(new TrainingSample.Instance(random.nextInt(CLASSES), coverage));
            }
            out.add(new TrainingSample("img-" + i, pixels, instances));
        }
        return out;
    }

    static int[][] prompts(ClipConfig config) {
        int[][] tokens = new int[CLASSES][config.text().contextLength()];
        int eot = config.text().vocabSize() - 1;
        for (int c = 0; c < CLASSES; c++) {
            tokens[c][0] = eot - 1;
            tokens[c][1] = 1 + c;
            tokens[c][2] = 10 + c;
            tokens[c][3] = eot;
        }
        return tokens;
    }

    static TrainingConfig smallConfig(String optimizer) {
        return TrainingConfig.defaults(50)
                .withOptimizer(optimizer)
                .withGaloreRank(8)
                .withUpdateGap(3)
                .withBatchImages(4);
    }

    /** The first step's losses of a fresh model (seed 5): the loss at the initial weights. */
    static StepLosses firstStep(
            TrainingConfig training, int[][] tokens, List<TrainingSample> batch) {
        try (ClipModel model = ClipModel.create(ClipConfig.tiny(), Device.cpu(), 5);
                EagleTrainer trainer = new EagleTrainer(model, null, training, tokens)) {
            return trainer.step(batch);
        }
    }

    /**
     * The step's objective at a fresh model's weights (seed 5), written out: pool, class embeddings
     * from the prompt features by {@code classEmbedding}, the EAGLE loss; returns the total.
     */
    static double referenceTotal(
            int[][] tokens,
            List<TrainingSample> batch,
            java.util.function.Function<NDArray, NDArray> classEmbedding) {
        ClipConfig config = ClipConfig.tiny();
        TrainingBatch packed = TrainingBatch.pack(batch, config.vision().imageSize());
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5);
                NDManager manager = NDManager.newBaseManager(Device.cpu());
                NDScope scope = new NDScope()) {
            NDArray pixels = manager.create(packed.pixels(), packed.pixelShape()); // (B, 3, S, S)
            NDArray v =
                    new MaskedAveragePooling(0f)
                            .pool(
                                    model.encodeImage(pixels).patches(),
                                    packed.imageIndex(),
                                    packed.coverage()); // (N, D)
            NDArray t = classEmbedding.apply(model.encodeText(tokens, manager)); // (C, D)
            return new EagleLoss(0f)
                    .compute(
                            v,
                            t,
                            packed.labels(),
                            model.logitScale(),
                            EagleLoss.createLossParameters(manager),
                            null,
                            null)
                    .total()
                    .getFloat();
        }
    }

    private static NDArray unit(NDArray x) {
        return x.div(x.norm(new int[] {-1}, true).add(1e-12));
    }

    /** Each class's row, then the same row with its second word replaced: (C·2, L), class-major. */
    static int[][] twoPromptsPerClass(ClipConfig config) {
        int[][] one = prompts(config);
        int[][] two = new int[2 * CLASSES][];
        for (int c = 0; c < CLASSES; c++) {
            two[2 * c] = one[c].clone();
            two[2 * c + 1] = one[c].clone();
            two[2 * c + 1][2] = 20 + c;
        }
        return two;
    }

    @Test
    void oneTemplateUsesEachClassPromptsNormalisedEmbeddingExactly() {
        ClipConfig config = ClipConfig.tiny();
        List<TrainingSample> batch = samples(config, 4, 11);
        TrainingConfig training = smallConfig(TrainingConfig.GALORE);
        assertEquals(1, training.promptsPerClass());
        double expected = referenceTotal(prompts(config), batch, EagleTrainerTest::unit);
        assertEquals(expected, firstStep(training, prompts(config), batch).total(), 0.0);
    }

    @Test
    void severalTemplatesAverageTheNormalisedPromptEmbeddingsPerClass() {
        ClipConfig config = ClipConfig.tiny();
        List<TrainingSample> batch = samples(config, 4, 11);
        TrainingConfig two =
                smallConfig(TrainingConfig.GALORE).withPromptTemplates(List.of("a {c}", "the {}"));
        assertEquals(2, two.promptsPerClass());
        int[][] tokens = twoPromptsPerClass(config);
        double expected =
                referenceTotal(
                        tokens,
                        batch,
                        features -> {
                            NDArray e = unit(features); // (C·2, D)
                            NDArray first = e.get(new NDIndex("0::2")); // (C, D)
                            NDArray second = e.get(new NDIndex("1::2")); // (C, D)
                            return unit(first.add(second).div(2)); // (C, D)
                        });
        double actual = firstStep(two, tokens, batch).total();
        assertEquals(expected, actual, 1e-5);
        // the ensemble is not just the first template's prompt
        double firstOnly =
                firstStep(smallConfig(TrainingConfig.GALORE), prompts(config), batch).total();
        assertNotEquals(firstOnly, actual, 1e-4);
    }

    @Test
    void identicalTemplatesGiveTheOneTemplateLoss() {
        ClipConfig config = ClipConfig.tiny();
        List<TrainingSample> batch = samples(config, 4, 11);
        int[][] one = prompts(config);
        int[][] doubled = new int[2 * CLASSES][];
        for (int c = 0; c < CLASSES; c++) {
            doubled[2 * c] = one[c];
            doubled[2 * c + 1] = one[c];
        }
        TrainingConfig k2 =
                smallConfig(TrainingConfig.GALORE).withPromptTemplates(List.of("a {c}", "a {c}"));
        assertEquals(
                firstStep(smallConfig(TrainingConfig.GALORE), one, batch).total(),
                firstStep(k2, doubled, batch).total(),
                1e-5);
    }

    @Test
    void promptRowsMustBeClassesTimesTemplates() {
        ClipConfig config = ClipConfig.tiny();
        TrainingConfig k3 =
                smallConfig(TrainingConfig.GALORE)
                        .withPromptTemplates(List.of("a {c}", "b {c}", "c {c}"));
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5)) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new EagleTrainer(model, null, k3, prompts(config)));
            assertTrue(e.getMessage().contains("K = 3"), e.getMessage());
        }
    }

    @Test
    void classNamesArePromptedWithEveryTemplateClassMajor() {
        ClipConfig config = ClipConfig.tiny();
        List<TrainingSample> batch = samples(config, 4, 11);
        WordTokenizer tokenizer =
                new WordTokenizer(List.of("a", "the", "red", "blue", "green", "star"), 16);
        List<String> classes = List.of("red star", "blue star", "green star", "star");
        TrainingConfig k2 =
                smallConfig(TrainingConfig.GALORE).withPromptTemplates(List.of("a {c}", "the {}"));
        int[][] tokens =
                tokenizer.encodeBatch(
                        List.of(
                                "a red star",
                                "the red star",
                                "a blue star",
                                "the blue star",
                                "a green star",
                                "the green star",
                                "a star",
                                "the star"));
        double fromTokens = firstStep(k2, tokens, batch).total();
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5);
                EagleTrainer trainer = new EagleTrainer(model, null, k2, tokenizer, classes)) {
            assertEquals(fromTokens, trainer.step(batch).total(), 0.0);
        }
    }

    @Test
    void resumedRunContinuesTheSameTrajectory(@TempDir Path dir) throws Exception {
        ClipConfig config = ClipConfig.tiny();
        List<TrainingSample> pool = samples(config, 12, 7);
        TrainingConfig training = smallConfig(TrainingConfig.GALORE);
        List<StepLosses> uninterrupted = new ArrayList<>();
        float[] finalWeights;
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 3);
                EagleTrainer trainer = new EagleTrainer(model, null, training, prompts(config))) {
            ClassBalancedSampler sampler = new ClassBalancedSampler(training.seed());
            pool.forEach(sampler::add);
            for (int i = 0; i < 4; i++) {
                trainer.step(sampler.nextBatch(training.batchImages()));
            }
            Checkpoint.save(
                    dir.resolve("ckpt"), trainer, sampler.randomState(), Map.of("offset", "17"));
            for (int i = 0; i < 3; i++) { // crosses the basis refresh at step 6
                uninterrupted.add(trainer.step(sampler.nextBatch(training.batchImages())));
            }
            finalWeights =
                    model.parameter("visual.transformer.resblocks.0.attn.in_proj_weight")
                            .toFloatArray();
        }
        try (ClipModel model =
                        ClipModel.create(
                                config, Device.cpu(), 99); // other init: restore must overwrite it
                EagleTrainer trainer = new EagleTrainer(model, null, training, prompts(config))) {
            Checkpoint.State state = Checkpoint.restore(dir.resolve("ckpt"), trainer);
            assertEquals(4, state.step());
            assertEquals("17", state.extra().get("offset"));
            ClassBalancedSampler sampler = ClassBalancedSampler.resume(state.samplerState());
            pool.forEach(sampler::add);
            for (int i = 0; i < 3; i++) {
                StepLosses resumed = trainer.step(sampler.nextBatch(training.batchImages()));
                assertEquals(uninterrupted.get(i).step(), resumed.step());
                assertEquals(
                        uninterrupted.get(i).total(),
                        resumed.total(),
                        0.0,
                        "step " + resumed.step());
            }
            assertArrayEquals(
                    finalWeights,
                    model.parameter("visual.transformer.resblocks.0.attn.in_proj_weight")
                            .toFloatArray());
        }
    }

    @Test
    void trainingLowersTheLossOnAFixedBatch() {
        ClipConfig config = ClipConfig.tiny();
        List<TrainingSample> batch = samples(config, 4, 11);
        for (String optimizer : List.of(TrainingConfig.GALORE, TrainingConfig.ADAMW)) {
            try (ClipModel model = ClipModel.create(config, Device.cpu(), 5);
                    EagleTrainer trainer =
                            new EagleTrainer(
                                    model,
                                    null,
                                    smallConfig(optimizer).withLr(3e-3),
                                    prompts(config))) {
                double first = trainer.step(batch).total();
                double last = first;
                for (int i = 0; i < 15; i++) {
                    last = trainer.step(batch).total();
                }
                assertTrue(last < 0.8 * first, optimizer + ": loss " + first + " -> " + last);
            }
        }
    }

    @Test
    void onlyBlockMatricesAndScalesTrainAndFrozenWeightsStayPut() {
        ClipConfig config = ClipConfig.tiny();
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5);
                EagleTrainer trainer =
                        new EagleTrainer(
                                model, null, smallConfig(TrainingConfig.GALORE), prompts(config))) {
            float[] conv = model.parameter("visual.conv1.weight").toFloatArray();
            float[] block =
                    model.parameter("visual.transformer.resblocks.1.mlp.c_fc.weight")
                            .toFloatArray();
            trainer.step(samples(config, 4, 1));
            assertArrayEquals(conv, model.parameter("visual.conv1.weight").toFloatArray());
            assertTrue(
                    !java.util.Arrays.equals(
                            block,
                            model.parameter("visual.transformer.resblocks.1.mlp.c_fc.weight")
                                    .toFloatArray()));
            assertTrue(trainer.trainableNames().contains("loss.sigmoid_bias"));
            assertTrue(trainer.trainableNames().contains("logit_scale"));
            assertTrue(
                    trainer.trainableNames().stream()
                            .noneMatch(
                                    n ->
                                            n.contains("ln_")
                                                    || n.contains("bias")
                                                            && !n.startsWith("loss.")));
        }
    }

    @Test
    void stepsRunOnAThreadOtherThanTheEngineLoader() throws Exception {
        ClipConfig config = ClipConfig.tiny();
        List<TrainingSample> batch = samples(config, 4, 2);
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5);
                EagleTrainer trainer =
                        new EagleTrainer(
                                model, null, smallConfig(TrainingConfig.GALORE), prompts(config))) {
            java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicReference<StepLosses> losses =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread worker =
                    new Thread(
                            () -> {
                                try {
                                    losses.set(trainer.step(batch));
                                } catch (Throwable t) {
                                    failure.set(t);
                                }
                            });
            worker.start();
            worker.join();
            assertEquals(null, failure.get(), "a step on a fresh thread failed");
            assertEquals(1, losses.get().step());
        }
    }

    @Test
    void memoryStaysFlatOverTwoHundredSteps() {
        ClipConfig config = ClipConfig.tiny();
        List<TrainingSample> pool = samples(config, 16, 3);
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5);
                EagleTrainer trainer =
                        new EagleTrainer(
                                model,
                                null,
                                smallConfig(TrainingConfig.GALORE)
                                        .withTotalSteps(220)
                                        .withBatchImages(2),
                                prompts(config))) {
            ClassBalancedSampler sampler = new ClassBalancedSampler(1);
            pool.forEach(sampler::add);
            NDManager parameterManager = model.parameter("logit_scale").getManager();
            NDArray scale = trainer.lossParameters().values().iterator().next();
            NDManager trainerManager = scale.getManager();
            int[] counts = new int[2];
            for (int i = 1; i <= 210; i++) {
                trainer.step(sampler.nextBatch(2));
                if (i == 10) {
                    counts[0] =
                            parameterManager.getManagedArrays().size()
                                    + trainerManager.getManagedArrays().size();
                }
            }
            counts[1] =
                    parameterManager.getManagedArrays().size()
                            + trainerManager.getManagedArrays().size();
            assertEquals(counts[0], counts[1], "live NDArrays after step 10 vs step 210");
        }
    }
}
