package eagle.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import eagle.core.eval.Vectors;
import eagle.core.method.CountPresenceLoss;
import eagle.core.method.EagleLoss;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.text.CountedPhrases;
import eagle.core.text.WordTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The count presence term inside a training step: wired in, counted in the total, refused when its
 * phrases are missing.
 */
class CountPresenceTrainingTest {

    private static final List<String> CLASSES =
            List.of("red star", "blue star", "green star", "star");
    private static final WordTokenizer TOKENIZER =
            new WordTokenizer(
                    List.of(
                            "this", "is", "an", "image", "of", "a", "two", "three", "four", "red",
                            "blue", "green", "star", "stars"),
                    16);

    private static TrainingConfig counting(float lambda) {
        return EagleTrainerTest.smallConfig(TrainingConfig.GALORE).withCountLambda(lambda);
    }

    @Test
    void theTermIsTheCountLossOfTheStartingWeightsAndPartOfTheTotal() {
        ClipConfig config = ClipConfig.tiny();
        List<TrainingSample> batch = EagleTrainerTest.samples(config, 4, 3);
        int[][] prompts = TOKENIZER.encodeBatch(counting(0).prompts().prompts(CLASSES));
        int[][] phrases = CountedPhrases.encode(TOKENIZER, CLASSES);
        StepLosses without = EagleTrainerTest.firstStep(counting(0), prompts, batch);
        StepLosses with;
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5);
                EagleTrainer trainer =
                        new EagleTrainer(model, null, counting(3f), TOKENIZER, CLASSES)) {
            with = trainer.step(batch);
        }
        assertEquals(0.0, without.countPresence());
        assertTrue(with.countPresence() > 0, "the term is on: " + with);
        assertEquals(without.total() + with.countPresence(), with.total(), 1e-5);
        assertEquals(without.ins(), with.ins(), 0.0);

        // the same term computed outside the trainer at the same starting weights
        TrainingBatch packed = TrainingBatch.pack(batch, config.vision().imageSize());
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5);
                NDManager manager = NDManager.newBaseManager(Device.cpu());
                NDScope scope = new NDScope()) {
            NDArray pixels = manager.create(packed.pixels(), packed.pixelShape());
            var parameters = EagleLoss.createLossParameters(manager);
            double expected =
                    new CountPresenceLoss(3f)
                            .compute(
                                    model.encodeImage(pixels).patches(),
                                    Vectors.normalized(model.encodeText(phrases, manager)),
                                    CLASSES.size(),
                                    packed.imageIndex(),
                                    packed.labels(),
                                    parameters.get(EagleLoss.SIGMOID_LOGIT_SCALE),
                                    parameters.get(EagleLoss.SIGMOID_BIAS))
                            .getFloat();
            assertEquals(expected, with.countPresence(), 1e-5);
        }
    }

    @Test
    void offThePhrasesChangeNothing() {
        ClipConfig config = ClipConfig.tiny();
        List<TrainingSample> batch = EagleTrainerTest.samples(config, 4, 4);
        int[][] prompts = TOKENIZER.encodeBatch(counting(0).prompts().prompts(CLASSES));
        double plain = EagleTrainerTest.firstStep(counting(0), prompts, batch).total();
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5);
                EagleTrainer trainer =
                        new EagleTrainer(
                                model,
                                null,
                                counting(0),
                                prompts,
                                new TermPhrases(CountedPhrases.encode(TOKENIZER, CLASSES), null))) {
            assertEquals(plain, trainer.step(batch).total(), 0.0);
        }
    }

    @Test
    void onWithoutPhrasesOrWithoutCountWordsIsRefused() {
        ClipConfig config = ClipConfig.tiny();
        int[][] prompts = TOKENIZER.encodeBatch(counting(0).prompts().prompts(CLASSES));
        WordTokenizer noCounts =
                new WordTokenizer(
                        List.of(
                                "this", "is", "an", "image", "of", "a", "red", "blue", "green",
                                "star"),
                        16);
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5)) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new EagleTrainer(model, null, counting(1f), prompts));
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            new EagleTrainer(
                                    model,
                                    null,
                                    counting(1f),
                                    prompts,
                                    new TermPhrases(
                                            TOKENIZER.encodeBatch(
                                                    List.of("two stars", "three stars", "a star")),
                                            null)));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new EagleTrainer(model, null, counting(1f), noCounts, CLASSES));
            assertTrue(e.getMessage().contains("count"), e.getMessage());
        }
    }
}
