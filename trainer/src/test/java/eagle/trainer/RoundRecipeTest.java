package eagle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A round's recipe from the settings: every recipe key reaches the round's config, the defaults are
 * the embedded recipe, and the rates follow the parent's scale and origin unless configured.
 */
class RoundRecipeTest {

    private static RoundRecipe from(Map<String, String> config) {
        return TrainerSettings.from(config).recipe();
    }

    @Test
    void everyRecipeKnobIsAKeyThatReachesTheRoundsConfig() {
        RoundRecipe s =
                from(
                        Map.of(
                                "kafka.bootstrap.servers", "localhost:9092",
                                "eagle.trainer.round.text-retention-lambda", "7.5",
                                "eagle.trainer.round.text-lr-multiplier", "0.25",
                                "eagle.trainer.round.trainable-blocks", "\\.attn\\.",
                                "eagle.trainer.round.retention-lambda", "2",
                                "eagle.trainer.round.weight-decay", "0.01",
                                "eagle.trainer.round.loss-weighting", "CLASS",
                                "eagle.trainer.round.patch-lambda", "50",
                                "eagle.trainer.round.image-lambda", "30"));
        eagle.core.train.TrainingConfig c = s.training();
        assertEquals(7.5f, c.textRetentionLambda());
        assertEquals(0.25, c.textLrMultiplier());
        assertEquals("\\.attn\\.", c.trainableBlocks());
        assertEquals(2f, c.retentionLambda());
        assertEquals(0.01, c.weightDecay());
        assertEquals(eagle.core.method.LossWeighting.CLASS, c.lossWeighting());
        assertEquals(50f, c.patchLambda());
        assertEquals(30f, c.imageLambda());
        RoundRecipe defaults = from(Map.of("kafka.bootstrap.servers", "localhost:9092"));
        assertEquals("", defaults.training().trainableBlocks());
        assertEquals(eagle.core.method.LossWeighting.INSTANCE, defaults.training().lossWeighting());
        // the recipe's presence terms are on unless configured off
        assertEquals(50f, defaults.training().patchLambda());
        assertEquals(30f, defaults.training().imageLambda());
        RoundRecipe off =
                from(
                        Map.of(
                                "kafka.bootstrap.servers", "localhost:9092",
                                "eagle.trainer.round.patch-lambda", "0",
                                "eagle.trainer.round.image-lambda", "0"));
        assertEquals(0f, off.training().patchLambda());
        assertEquals(0f, off.training().imageLambda());
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
        assertEquals(recipe.patchLambda(), d.patchLambda());
        assertEquals(recipe.imageLambda(), d.imageLambda());
        assertTrue(d.patchLambda() > 0 && d.imageLambda() > 0, "the recipe has the presence terms");
        assertTrue(d.textLrMultiplier() > 1, "the recipe trains the text tower faster");
    }

    @Test
    void aReleasedScaleParentGetsThePapersRateUnlessOneIsConfigured() {
        RoundRecipe s = from(Map.of("kafka.bootstrap.servers", "localhost:9092"));
        eagle.core.model.ClipConfig vitL = eagle.core.model.ClipConfig.preset("ViT-L-14-336");
        eagle.core.train.TrainingConfig released = s.withRecipe(s.byScale(vitL, false));
        assertEquals(4e-6, released.lr());
        assertEquals(1.0, released.textLrMultiplier());
        assertEquals("the EAGLE paper's recipe", s.byScale(vitL, false).source());
        // and the paper's method: the presence terms off, as nothing was measured at that scale
        assertEquals(0f, released.patchLambda());
        assertEquals(0f, released.imageLambda());
        // the embedded base (a 128-wide tower) keeps the recipe measured on it
        eagle.core.train.TrainingConfig tiny =
                s.withRecipe(s.byScale(eagle.core.model.ClipConfig.tiny(), false));
        assertEquals(s.training().lr(), tiny.lr());
        assertEquals(s.training().textLrMultiplier(), tiny.textLrMultiplier());
        // a configured key wins over the scale's; the other key still follows the scale
        RoundRecipe set =
                from(
                        Map.of(
                                "kafka.bootstrap.servers", "localhost:9092",
                                "eagle.trainer.round.lr", "1e-5"));
        assertEquals(1e-5, set.withRecipe(set.byScale(vitL, false)).lr());
        assertEquals(1.0, set.withRecipe(set.byScale(vitL, false)).textLrMultiplier());
        assertEquals(
                1e-5, set.withRecipe(set.byScale(eagle.core.model.ClipConfig.tiny(), false)).lr());
        assertTrue(
                set.byScale(vitL, false).source().startsWith("configured"),
                set.byScale(vitL, false).source());
        // a configured presence weight applies at any scale; the unset one follows the scale
        RoundRecipe presence =
                from(
                        Map.of(
                                "kafka.bootstrap.servers", "localhost:9092",
                                "eagle.trainer.round.patch-lambda", "10"));
        assertEquals(10f, presence.withRecipe(presence.byScale(vitL, false)).patchLambda());
        assertEquals(0f, presence.withRecipe(presence.byScale(vitL, false)).imageLambda());
        assertEquals(
                30f,
                presence.withRecipe(presence.byScale(eagle.core.model.ClipConfig.tiny(), false))
                        .imageLambda());
        assertEquals(4e-6, presence.withRecipe(presence.byScale(vitL, false)).lr());
    }

    @Test
    void aParentThatCameOutOfARoundTrainsAtTheLaterScale() {
        RoundRecipe s =
                from(
                        Map.of(
                                "kafka.bootstrap.servers", "localhost:9092",
                                "eagle.trainer.round.later-lr-scale", "0.1"));
        eagle.core.model.ClipConfig tiny = eagle.core.model.ClipConfig.tiny();
        double first = s.withRecipe(s.byScale(tiny, false)).lr();
        assertEquals(s.training().lr(), first);
        assertEquals(0.1 * first, s.withRecipe(s.byScale(tiny, true)).lr(), 1e-15);
        assertEquals(
                s.withRecipe(s.byScale(tiny, false)).textLrMultiplier(),
                s.withRecipe(s.byScale(tiny, true)).textLrMultiplier(),
                "the text tower keeps its multiple of the scaled rate");
        assertTrue(s.byScale(tiny, true).source().contains("later-lr-scale 0.1"));
        // a configured rate is scaled the same way
        RoundRecipe set =
                from(
                        Map.of(
                                "kafka.bootstrap.servers", "localhost:9092",
                                "eagle.trainer.round.lr", "1e-4",
                                "eagle.trainer.round.later-lr-scale", "0.1"));
        assertEquals(1e-4, set.withRecipe(set.byScale(tiny, false)).lr());
        assertEquals(1e-5, set.withRecipe(set.byScale(tiny, true)).lr(), 1e-18);
        assertEquals(1e-4, set.training().lr());
        // the default scale is the constant's
        RoundRecipe d = from(Map.of("kafka.bootstrap.servers", "localhost:9092"));
        assertEquals(
                Double.parseDouble(eagle.core.train.TrainingConfig.DEFAULT_LATER_LR_SCALE)
                        * d.withRecipe(d.byScale(tiny, false)).lr(),
                d.withRecipe(d.byScale(tiny, true)).lr(),
                1e-15);
    }
}
