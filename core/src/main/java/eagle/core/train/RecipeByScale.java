package eagle.core.train;

import eagle.core.model.ClipConfig;

/**
 * The part of a round's recipe that depends on the encoder's scale, used where none is configured:
 * the learning rate, the text tower's rate multiplier and the presence terms' weights
 * (docs/METHOD.md §3–§4):
 *
 * <ul>
 *   <li>a vision tower narrower than {@value #RELEASED_WIDTH}: {@link #EMBEDDED}, the recipe found
 *       by measurement on the embedded base (a 128-wide ViT, docs/BENCHMARKS.md): lr {@value
 *       TrainingConfig#DEFAULT_LR}, the text tower at {@value
 *       TrainingConfig#DEFAULT_TEXT_LR_MULTIPLIER}×, λ_p {@value
 *       TrainingConfig#DEFAULT_PATCH_LAMBDA} and λ_i {@value TrainingConfig#DEFAULT_IMAGE_LAMBDA};
 *   <li>a wider one, as every released CLIP and EVA-CLIP is (ViT-B 768, ViT-L 1024, EVA01-g 1408):
 *       {@link #PAPER}, the EAGLE paper's method at its rate for ViT-L encoders: lr {@value
 *       #PAPER_LR} for both towers and no presence terms. Nothing was measured on such an encoder
 *       here; a hundred times the paper's rate on a pre-trained ViT-L is what the embedded recipe
 *       would otherwise apply, and the image presence term reads every unannotated class as absent,
 *       which only an exhaustively annotated stream makes true.
 * </ul>
 *
 * @param lr peak learning rate
 * @param textLrMultiplier the text tower's rate as a multiple of lr
 * @param patchLambda λ_p of the patch presence term (0: off)
 * @param imageLambda λ_i of the image presence term (0: off)
 * @param source where these come from, for logs
 */
public record RecipeByScale(
        double lr, double textLrMultiplier, float patchLambda, float imageLambda, String source) {

    /** Vision width from which an encoder gets {@link #PAPER}. */
    public static final int RELEASED_WIDTH = 512;

    /** The EAGLE paper's learning rate (arXiv 2501.02699, its fine-tuning setup). */
    public static final String PAPER_LR = "4e-6";

    /** The embedded recipe (the defaults of {@link TrainingConfig#recipe}). */
    public static final RecipeByScale EMBEDDED =
            new RecipeByScale(
                    Double.parseDouble(TrainingConfig.DEFAULT_LR),
                    Double.parseDouble(TrainingConfig.DEFAULT_TEXT_LR_MULTIPLIER),
                    Float.parseFloat(TrainingConfig.DEFAULT_PATCH_LAMBDA),
                    Float.parseFloat(TrainingConfig.DEFAULT_IMAGE_LAMBDA),
                    "the embedded world's recipe");

    /** The paper's rate for both towers, without the presence terms. */
    public static final RecipeByScale PAPER =
            new RecipeByScale(
                    Double.parseDouble(PAPER_LR), 1.0, 0f, 0f, "the EAGLE paper's recipe");

    /** The recipe for an encoder of this config (see the class comment). */
    public static RecipeByScale forEncoder(ClipConfig config) {
        return config.vision().width() >= RELEASED_WIDTH ? PAPER : EMBEDDED;
    }

    /** The same with another rate (a later round's), saying why. */
    public RecipeByScale withLr(double newLr, String why) {
        return new RecipeByScale(
                newLr, textLrMultiplier, patchLambda, imageLambda, source + ", " + why);
    }
}
