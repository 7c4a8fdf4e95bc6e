package eagle.trainer;

import eagle.core.method.LossWeighting;
import eagle.core.optim.MomentPolicy;
import eagle.core.train.TrainingConfig;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The {@code eagle.trainer.round.*} keys (a group of {@link TrainerSettings}): when a round starts,
 * and the recipe of every round (docs/METHOD.md §2–§5). {@link RoundRecipe} turns the recipe keys
 * into a round's {@link TrainingConfig}; the keys are listed in trainer/README.md, "Configuration".
 */
public interface RoundSettings {

    /** a round starts when at least this many new valid samples arrived … */
    @WithDefault("8")
    int minSamples();

    /** … covering at least this many classes */
    @WithDefault("2")
    int minClasses();

    /** steps between checkpoints inside a round (1: every step) */
    @WithDefault("1")
    int checkpointEvery();

    @WithDefault("5")
    int steps();

    /** images per step */
    @WithDefault("4")
    int batch();

    /** {@code galore} or {@code adamw} */
    @WithDefault(TrainingConfig.GALORE)
    String optimizer();

    /**
     * peak learning rate; absent: by the parent's scale (core's RecipeByScale: the embedded
     * recipe's {@value TrainingConfig#DEFAULT_LR} below a 512-wide vision tower, the EAGLE paper's
     * 4e-6 from there)
     */
    Optional<Double> lr();

    /** linear warm-up steps; absent: a tenth of the steps, at most 10 */
    Optional<Integer> warmupSteps();

    /** floor of the cosine schedule as a fraction of lr (docs/METHOD.md §5) */
    @WithDefault("0.1")
    double minLrRatio();

    /** decoupled weight decay */
    @WithDefault("0")
    double weightDecay();

    /** GaLore rank r */
    @WithDefault("32")
    int rank();

    /** GaLore T, steps between SVD refreshes */
    @WithDefault("200")
    int galoreUpdateGap();

    /** GaLore α */
    @WithDefault("0.25")
    double galoreScale();

    /** what happens to the Adam moments when the GaLore basis changes */
    @WithDefault("KEEP")
    MomentPolicy momentPolicy();

    /** coverage threshold τ of masked average pooling (docs/METHOD.md §2) */
    @WithDefault("0")
    float tau();

    /**
     * the least area, in patches (Σ_p a_p after the centre crop), an instance mask must cover to be
     * used (core's PoolingEligibility); 0: any overlap, as the paper
     */
    @WithDefault("0")
    double minPatchArea();

    /** λ of the CLS retention term against the frozen parent (docs/METHOD.md §3); 0: off */
    @WithDefault(TrainingConfig.DEFAULT_RETENTION_LAMBDA)
    float retentionLambda();

    /** whether the text tower's block weights train too (docs/METHOD.md §4) */
    @WithDefault("true")
    boolean trainText();

    /**
     * λ_t of the prompt retention term: the class-prompt embeddings pulled towards the frozen
     * parent's (docs/METHOD.md §3); 0: off
     */
    @WithDefault(TrainingConfig.DEFAULT_TEXT_RETENTION_LAMBDA)
    float textRetentionLambda();

    /**
     * the text tower's learning rate as a multiple of lr (docs/METHOD.md §4); absent: by the
     * parent's scale, as {@link #lr()} ({@value TrainingConfig#DEFAULT_TEXT_LR_MULTIPLIER} below
     * 512 wide, 1 from there)
     */
    Optional<Double> textLrMultiplier();

    /**
     * a round whose parent itself came out of a round trains at this multiple of the rate (both
     * towers); 1: every round at the same rate
     */
    @WithDefault(TrainingConfig.DEFAULT_LATER_LR_SCALE)
    double laterLrScale();

    /**
     * a regular expression over parameter names: only the matching block weights train (e.g. {@code
     * \\.attn\\.}); empty: every block weight of the trained towers
     */
    Optional<String> trainableBlocks();

    /**
     * how L_ins's image-to-text direction and L_ce average over a batch's instances: INSTANCE (each
     * 1/N, the paper's) or CLASS (each class present weighs the same; docs/METHOD.md §3)
     */
    @WithDefault("INSTANCE")
    LossWeighting lossWeighting();

    /**
     * λ_p of the patch presence term: L_ce asked of every patch a mask covers by half
     * (docs/METHOD.md §3); 0: off; absent: by the parent's scale (core's RecipeByScale: {@value
     * TrainingConfig#DEFAULT_PATCH_LAMBDA} below a 512-wide vision tower, 0 from there)
     */
    Optional<Float> patchLambda();

    /**
     * λ_i of the image presence term: L_ce asked of each image's soft maximum over its patches
     * (docs/METHOD.md §3; assumes every instance of a known class in an image is annotated); 0:
     * off; absent: by the parent's scale ({@value TrainingConfig#DEFAULT_IMAGE_LAMBDA} below a
     * 512-wide vision tower, 0 from there)
     */
    Optional<Float> imageLambda();
}
