package eagle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.contracts.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trainer's settings: the brokers must be given; everything else has a default. */
class TrainerSettingsTest {

    private static TrainerSettings from(Map<String, String> config) {
        return TrainerSettings.from(config);
    }

    @Test
    void theBrokersHaveNoDefault() {
        for (Map<String, String> config :
                java.util.List.of(
                        Map.<String, String>of(), Map.of("kafka.bootstrap.servers", " "))) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> from(config));
            assertTrue(e.getMessage().contains("kafka.bootstrap.servers"), e.getMessage());
        }
        TrainerSettings s = from(Map.of("kafka.bootstrap.servers", "broker-a:9092,broker-b:9092"));
        assertEquals("broker-a:9092,broker-b:9092", s.bootstrapServers());
        assertEquals(Topics.SAMPLES, s.topic());
    }

    @Test
    void everyRecipeKnobIsAKeyThatReachesTheRoundsConfig() {
        TrainerSettings s =
                from(
                        Map.of(
                                "kafka.bootstrap.servers", "localhost:9092",
                                "eagle.trainer.round.text-retention-lambda", "7.5",
                                "eagle.trainer.round.text-lr-multiplier", "0.25",
                                "eagle.trainer.round.trainable-blocks", "\\.attn\\.",
                                "eagle.trainer.round.retention-lambda", "2",
                                "eagle.trainer.round.weight-decay", "0.01",
                                "eagle.trainer.round.loss-weighting", "CLASS"));
        eagle.core.train.TrainingConfig c = s.training();
        assertEquals(7.5f, c.textRetentionLambda());
        assertEquals(0.25, c.textLrMultiplier());
        assertEquals("\\.attn\\.", c.trainableBlocks());
        assertEquals(2f, c.retentionLambda());
        assertEquals(0.01, c.weightDecay());
        assertEquals(eagle.core.method.LossWeighting.CLASS, c.lossWeighting());
        TrainerSettings defaults = from(Map.of("kafka.bootstrap.servers", "localhost:9092"));
        assertEquals("", defaults.training().trainableBlocks());
        assertEquals(eagle.core.method.LossWeighting.INSTANCE, defaults.training().lossWeighting());
    }

    @Test
    void theDefaultsAreTheRecipe() {
        eagle.core.train.TrainingConfig d =
                from(Map.of("kafka.bootstrap.servers", "localhost:9092")).training();
        eagle.core.train.TrainingConfig recipe =
                eagle.core.train.TrainingConfig.recipe(d.totalSteps());
        assertEquals(recipe.lr(), d.lr());
        assertEquals(recipe.retentionLambda(), d.retentionLambda());
        assertEquals(recipe.textRetentionLambda(), d.textRetentionLambda());
        assertEquals(recipe.textLrMultiplier(), d.textLrMultiplier());
        assertTrue(d.textLrMultiplier() > 1, "the recipe trains the text tower faster");
    }
}
