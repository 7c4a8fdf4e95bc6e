package eagle.core.train;

import eagle.core.model.ClipConfig;

/**
 * The learning rate and the text tower's rate multiplier a round uses when none is configured,
 * chosen by the encoder's scale (docs/METHOD.md §4):
 *
 * <ul>
 *   <li>a vision tower narrower than {@value #RELEASED_WIDTH}: {@link #EMBEDDED}, the recipe found
 *       by measurement on the embedded base (a 128-wide ViT, docs/BENCHMARKS.md, "The text tower's
 *       rate"): lr {@value TrainingConfig#DEFAULT_LR}, the text tower at {@value
 *       TrainingConfig#DEFAULT_TEXT_LR_MULTIPLIER}×;
 *   <li>a wider one, as every released CLIP and EVA-CLIP is (ViT-B 768, ViT-L 1024, EVA01-g 1408):
 *       {@link #PAPER}, the EAGLE paper's rate for its ViT-L encoders, lr {@value #PAPER_LR} for
 *       both towers. Nothing was measured on such an encoder here; a hundred times the paper's rate
 *       on a pre-trained ViT-L is what the embedded recipe would otherwise apply.
 * </ul>
 *
 * @param lr peak learning rate
 * @param textLrMultiplier the text tower's rate as a multiple of lr
 * @param source where the pair comes from, for logs
 */
public record RecipeRates(double lr, double textLrMultiplier, String source) {

    /** Vision width from which an encoder gets {@link #PAPER}. */
    public static final int RELEASED_WIDTH = 512;

    /** The EAGLE paper's learning rate (arXiv 2501.02699, its fine-tuning setup). */
    public static final String PAPER_LR = "4e-6";

    /** The embedded recipe (the defaults of {@link TrainingConfig#recipe}). */
    public static final RecipeRates EMBEDDED =
            new RecipeRates(
                    Double.parseDouble(TrainingConfig.DEFAULT_LR),
                    Double.parseDouble(TrainingConfig.DEFAULT_TEXT_LR_MULTIPLIER),
                    "the embedded world's recipe");

    /** The paper's rate for both towers. */
    public static final RecipeRates PAPER =
            new RecipeRates(Double.parseDouble(PAPER_LR), 1.0, "the EAGLE paper's rate");

    /** The rates for an encoder of this config (see the class comment). */
    public static RecipeRates forEncoder(ClipConfig config) {
        return config.vision().width() >= RELEASED_WIDTH ? PAPER : EMBEDDED;
    }
}
