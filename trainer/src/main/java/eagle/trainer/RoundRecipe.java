package eagle.trainer;

import eagle.core.model.ClipConfig;
import eagle.core.text.PromptTemplates;
import eagle.core.train.RecipeByScale;
import eagle.core.train.TrainingConfig;
import java.util.List;

/**
 * The recipe a round trains with, from the {@code round.*} and {@code prompt.templates} keys: its
 * rates and presence weights are the configured ones where set, else the parent's scale's (core's
 * {@link RecipeByScale}); every other hyper-parameter (GaLore's rank, update gap and α, the moment
 * policy, the retention terms, the schedule) is the configured one. A round resolves its recipe
 * once ({@link #byScale}, then {@link #withRecipe}), so the recipe it logs is the one it trains
 * with.
 */
public final class RoundRecipe {

    private final RoundSettings round;
    private final List<String> templates;
    private final long seed;

    /**
     * @param templates the configured prompt templates; empty: CLIP's default
     * @param seed the trainer's seed (the round number is added by the sampler, not here)
     */
    RoundRecipe(RoundSettings round, List<String> templates, long seed) {
        this.round = round;
        this.templates = templates.isEmpty() ? PromptTemplates.DEFAULT.templates() : templates;
        this.seed = seed;
    }

    /**
     * The hyper-parameters of each round with the embedded base's scale. Its prompt templates are
     * {@code prompt.templates}, else CLIP's default; a round replaces them by the ones {@link
     * ParentEncoder} chooses for its parent.
     */
    public TrainingConfig training() {
        return withRecipe(configured(RecipeByScale.EMBEDDED));
    }

    /**
     * The rates and presence weights a round with this parent uses: the configured ones, else its
     * scale's; the rate times {@code round.later-lr-scale} when the parent came out of a round.
     */
    public RecipeByScale byScale(ClipConfig parent, boolean fineTuned) {
        RecipeByScale chosen = configured(RecipeByScale.forEncoder(parent));
        if (!fineTuned || round.laterLrScale() == 1.0) {
            return chosen;
        }
        return chosen.withLr(
                chosen.lr() * round.laterLrScale(),
                "× round.later-lr-scale "
                        + round.laterLrScale()
                        + " for a parent that came out of a round");
    }

    /**
     * {@code byScale} with the configured {@code round.lr}, text multiplier and presence weights
     * put in.
     */
    public RecipeByScale configured(RecipeByScale byScale) {
        if (round.lr().isEmpty()
                && round.textLrMultiplier().isEmpty()
                && round.patchLambda().isEmpty()
                && round.imageLambda().isEmpty()) {
            return byScale;
        }
        return new RecipeByScale(
                round.lr().orElse(byScale.lr()),
                round.textLrMultiplier().orElse(byScale.textLrMultiplier()),
                round.patchLambda().orElse(byScale.patchLambda()),
                round.imageLambda().orElse(byScale.imageLambda()),
                "configured (round.lr, round.text-lr-multiplier, round.patch-lambda,"
                        + " round.image-lambda; otherwise "
                        + byScale.source()
                        + ")");
    }

    /** The round's config with exactly this recipe's rates and presence weights. */
    public TrainingConfig withRecipe(RecipeByScale recipe) {
        RoundSettings r = round;
        return TrainingConfig.defaults(r.steps()).toBuilder()
                .optimizer(r.optimizer())
                .lr(recipe.lr())
                .warmupSteps(r.warmupSteps().orElse(Math.min(10, r.steps() / 10)))
                .minLrRatio(r.minLrRatio())
                .weightDecay(r.weightDecay())
                .galoreRank(r.rank())
                .galoreUpdateGap(r.galoreUpdateGap())
                .galoreScale(r.galoreScale())
                .momentPolicy(r.momentPolicy())
                .tau(r.tau())
                .retentionLambda(r.retentionLambda())
                .trainText(r.trainText())
                .textRetentionLambda(r.textRetentionLambda())
                .textLrMultiplier(recipe.textLrMultiplier())
                .trainableBlocks(r.trainableBlocks().orElse(""))
                .lossWeighting(r.lossWeighting())
                .patchLambda(recipe.patchLambda())
                .imageLambda(recipe.imageLambda())
                .batchImages(r.batch())
                .promptTemplates(templates)
                .seed(seed)
                .build();
    }
}
