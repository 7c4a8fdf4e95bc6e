package eagle.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import eagle.core.model.ClipConfig;
import org.junit.jupiter.api.Test;

/** Which rates an encoder gets by its scale. */
class RecipeRatesTest {

    @Test
    void releasedEncodersGetThePapersRateAndTheEmbeddedScaleTheRecipe() {
        for (String released :
                new String[] {"ViT-B-16", "ViT-L-14", "ViT-L-14-336", "EVA01-CLIP-g-14"}) {
            assertSame(
                    RecipeRates.PAPER,
                    RecipeRates.forEncoder(ClipConfig.preset(released)),
                    released);
        }
        assertSame(RecipeRates.EMBEDDED, RecipeRates.forEncoder(ClipConfig.tiny()));
        assertSame(RecipeRates.EMBEDDED, RecipeRates.forEncoder(ClipConfig.preset("EVA01-tiny")));
        assertEquals(4e-6, RecipeRates.PAPER.lr());
        assertEquals(1.0, RecipeRates.PAPER.textLrMultiplier());
        TrainingConfig recipe = TrainingConfig.recipe(10);
        assertEquals(recipe.lr(), RecipeRates.EMBEDDED.lr());
        assertEquals(recipe.textLrMultiplier(), RecipeRates.EMBEDDED.textLrMultiplier());
    }
}
