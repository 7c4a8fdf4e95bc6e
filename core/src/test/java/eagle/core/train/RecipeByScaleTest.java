package eagle.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import eagle.core.model.ClipConfig;
import org.junit.jupiter.api.Test;

/** Which rates and presence weights an encoder gets by its scale. */
class RecipeByScaleTest {

    @Test
    void releasedEncodersGetThePapersRateAndTheEmbeddedScaleTheRecipe() {
        for (String released :
                new String[] {"ViT-B-16", "ViT-L-14", "ViT-L-14-336", "EVA01-CLIP-g-14"}) {
            assertSame(
                    RecipeByScale.PAPER,
                    RecipeByScale.forEncoder(ClipConfig.preset(released)),
                    released);
        }
        assertSame(RecipeByScale.EMBEDDED, RecipeByScale.forEncoder(ClipConfig.tiny()));
        assertSame(
                RecipeByScale.EMBEDDED, RecipeByScale.forEncoder(ClipConfig.preset("EVA01-tiny")));
        assertEquals(4e-6, RecipeByScale.PAPER.lr());
        assertEquals(1.0, RecipeByScale.PAPER.textLrMultiplier());
        assertEquals(0f, RecipeByScale.PAPER.patchLambda());
        assertEquals(0f, RecipeByScale.PAPER.imageLambda());
        TrainingConfig recipe = TrainingConfig.recipe(10);
        assertEquals(recipe.lr(), RecipeByScale.EMBEDDED.lr());
        assertEquals(recipe.textLrMultiplier(), RecipeByScale.EMBEDDED.textLrMultiplier());
        assertEquals(recipe.patchLambda(), RecipeByScale.EMBEDDED.patchLambda());
        assertEquals(recipe.imageLambda(), RecipeByScale.EMBEDDED.imageLambda());
        assertEquals(50f, RecipeByScale.EMBEDDED.patchLambda());
        assertEquals(30f, RecipeByScale.EMBEDDED.imageLambda());
    }
}
