package eagle.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import eagle.core.eval.Vectors;
import eagle.core.method.PlaceLoss;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.text.PlacePhrases;
import eagle.core.text.WordTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The place term inside a training step: wired in, counted in the total, the same number as the
 * term computed outside the trainer, and refused when its phrases are missing or cannot be encoded.
 */
class PlaceTrainingTest {

    private static final List<String> CLASSES =
            List.of("red star", "blue star", "green star", "star");
    private static final WordTokenizer TOKENIZER =
            new WordTokenizer(
                    List.of(
                            "this", "is", "an", "image", "of", "a", "on", "at", "the", "left",
                            "right", "top", "bottom", "red", "blue", "green", "star"),
                    16);

    private static TrainingConfig placing(float lambda) {
        return EagleTrainerTest.smallConfig(TrainingConfig.GALORE).withPlaceLambda(lambda);
    }

    @Test
    void theTermIsThePlaceLossOfTheStartingWeightsAndPartOfTheTotal() {
        ClipConfig config = ClipConfig.tiny();
        List<TrainingSample> batch = EagleTrainerTest.samples(config, 6, 3);
        int[][] prompts = TOKENIZER.encodeBatch(placing(0).prompts().prompts(CLASSES));
        StepLosses without = EagleTrainerTest.firstStep(placing(0), prompts, batch);
        StepLosses with;
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5);
                EagleTrainer trainer =
                        new EagleTrainer(model, null, placing(2f), TOKENIZER, CLASSES)) {
            with = trainer.step(batch);
        }
        assertEquals(0.0, without.place());
        assertTrue(with.place() > 0, "the term is on: " + with);
        assertEquals(without.total() + with.place(), with.total(), 1e-5);
        assertEquals(without.ins(), with.ins(), 0.0);

        TrainingBatch packed = TrainingBatch.pack(batch, config.vision().imageSize());
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5);
                NDManager manager = NDManager.newBaseManager(Device.cpu());
                NDScope scope = new NDScope()) {
            NDArray pixels = manager.create(packed.pixels(), packed.pixelShape());
            double expected =
                    new PlaceLoss(2f)
                            .compute(
                                    model.encodeImage(pixels).patches(),
                                    Vectors.normalized(
                                            model.encodeText(
                                                    PlacePhrases.encode(TOKENIZER, CLASSES),
                                                    manager)),
                                    PlaceLoss.placed(
                                            batch.size(),
                                            packed.imageIndex(),
                                            packed.coverage(),
                                            packed.labels()),
                                    model.logitScale())
                            .getFloat();
            assertEquals(expected, with.place(), 1e-5);
        }
    }

    @Test
    void onWithoutPhrasesOrWithoutPlaceWordsIsRefused() {
        ClipConfig config = ClipConfig.tiny();
        int[][] prompts = TOKENIZER.encodeBatch(placing(0).prompts().prompts(CLASSES));
        WordTokenizer noPlaces =
                new WordTokenizer(
                        List.of(
                                "this", "is", "an", "image", "of", "a", "red", "blue", "green",
                                "star"),
                        16);
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 5)) {
            IllegalArgumentException missing =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new EagleTrainer(model, null, placing(1f), prompts));
            assertTrue(missing.getMessage().contains("place"), missing.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            new EagleTrainer(
                                    model,
                                    null,
                                    placing(1f),
                                    prompts,
                                    new TermPhrases(
                                            null,
                                            TOKENIZER.encodeBatch(
                                                    List.of("a star on the left", "a star")))));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new EagleTrainer(model, null, placing(1f), noPlaces, CLASSES));
            assertTrue(e.getMessage().contains("place"), e.getMessage());
        }
    }
}
