package eagle.core.train;

import com.fasterxml.jackson.annotation.JsonIgnore;
import eagle.core.method.LossWeighting;
import eagle.core.optim.GaloreConfig;
import eagle.core.optim.MomentPolicy;
import eagle.core.text.PromptTemplates;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Hyper-parameters of EAGLE fine-tuning (docs/METHOD.md §2–§5), one immutable record passed whole.
 *
 * @param optimizer {@code galore} (GaLore-AdamW on the block weights) or {@code adamw} (full
 *     fine-tuning of the same parameters, the ablation without GaLore)
 * @param lr peak learning rate (default 1e-3)
 * @param warmupSteps linear warm-up steps of the cosine schedule (default 10, at most a tenth of
 *     the steps)
 * @param totalSteps steps of the schedule; the rate decays to {@code minLrRatio·lr} by then
 * @param minLrRatio floor of the cosine schedule as a fraction of lr (default 0.1)
 * @param weightDecay decoupled weight decay (default 0)
 * @param galoreRank r (default 32; clipped to min(m, n) per matrix)
 * @param galoreUpdateGap T, steps between SVD refreshes (default 200)
 * @param galoreScale α (default 0.25)
 * @param momentPolicy what happens to the Adam moments when the basis changes (default KEEP)
 * @param tau coverage threshold of masked average pooling (paper: 0, any overlap)
 * @param retentionLambda λ of the CLS retention term (default 0: off)
 * @param trainText whether the text tower's block weights train too (default true)
 * @param batchImages images per step (default 16)
 * @param promptTemplates the K class-prompt templates, each with {@code {c}} or {@code {}} where
 *     the class name goes (default one: "This is an image of a {c}"); a class's text embedding is
 *     the re-normalised mean of its K normalised prompt embeddings (docs/METHOD.md §3)
 * @param seed seed of the class-balanced sampler
 * @param textRetentionLambda λ_t of the prompt-retention term λ_t·mean_c ‖t_c(θ) − t_c(θ₀)‖² over
 *     the class embeddings (docs/METHOD.md §3; default 0: off, the step's numbers exactly as
 *     without it)
 * @param textLrMultiplier the text tower's block weights train at {@code textLrMultiplier·lr}
 *     (default 1: the same rate, one optimizer as before); ignored when {@code trainText} is off
 *     (frozen)
 * @param trainableBlocks a regular expression a block matrix's name must contain (Matcher.find) to
 *     train, for example {@code \.attn\.}, {@code \.mlp\.} or {@code resblocks\.(2|3)\.}; empty
 *     (the default) trains every block matrix of the trained towers (docs/METHOD.md §4)
 * @param lossWeighting how L_ins's image-to-text direction and L_ce average over the batch's
 *     instances (default {@link LossWeighting#INSTANCE}, the paper's; docs/METHOD.md §3)
 * @param patchLambda λ_p of the patch presence term, L_ce asked of every patch a mask covers by
 *     half (docs/METHOD.md §3; default 0: off, the step's numbers exactly as without it)
 * @param imageLambda λ_i of the image presence term, L_ce asked of each image's soft maximum over
 *     its patches (docs/METHOD.md §3; default 0: off, the step's numbers exactly as without it)
 * @param countLambda λ_n of the count presence term, the image presence term asked of counted
 *     phrases ("two red triangles"; docs/METHOD.md §3; default 0: off, the step's numbers exactly
 *     as without it)
 */
public record TrainingConfig(
        String optimizer,
        double lr,
        int warmupSteps,
        int totalSteps,
        double minLrRatio,
        double weightDecay,
        int galoreRank,
        int galoreUpdateGap,
        double galoreScale,
        MomentPolicy momentPolicy,
        float tau,
        float retentionLambda,
        boolean trainText,
        int batchImages,
        List<String> promptTemplates,
        long seed,
        float textRetentionLambda,
        double textLrMultiplier,
        String trainableBlocks,
        LossWeighting lossWeighting,
        float patchLambda,
        float imageLambda,
        float countLambda,
        float placeLambda,
        String textOptimizer) {

    public static final String GALORE = "galore";
    public static final String ADAMW = "adamw";

    /*
     * The recipe every round uses unless told otherwise ({@link #recipe}): the trainer service's
     * keys and the experiment's arms start from these (strings, so that the trainer's @WithDefault
     * can name them). Found by measurement: docs/BENCHMARKS.md, "The recipe search". {@link
     * #defaults} stays the plain method (λ = λ_t = 0, lr 1e-3) the library's tests pin.
     */
    /** peak learning rate */
    public static final String DEFAULT_LR = "4e-4";

    /** λ of the CLS retention term against the frozen parent (docs/METHOD.md §3) */
    public static final String DEFAULT_RETENTION_LAMBDA = "10";

    /** λ_t of the prompt retention term (docs/METHOD.md §3) */
    public static final String DEFAULT_TEXT_RETENTION_LAMBDA = "30";

    /** the text tower's rate as a multiple of lr (docs/METHOD.md §4) */
    public static final String DEFAULT_TEXT_LR_MULTIPLIER = "2";

    /**
     * a round whose parent came out of an earlier round trains at this multiple of the rate (the
     * trainer's {@code round.later-lr-scale}, the experiment's {@code --later-lr-scale};
     * docs/BENCHMARKS.md, "Continual rounds")
     */
    public static final String DEFAULT_LATER_LR_SCALE = "0.1";

    /** λ_p of the patch presence term (docs/METHOD.md §3) */
    public static final String DEFAULT_PATCH_LAMBDA = "50";

    /** λ_i of the image presence term (docs/METHOD.md §3) */
    public static final String DEFAULT_IMAGE_LAMBDA = "30";

    /**
     * steps of one experiment round ({@code ./eagle experiment --steps}); the trainer's rounds are
     * sized by its own {@code round.steps}
     */
    public static final int DEFAULT_EXPERIMENT_STEPS = 900;

    /** The default class prompt of the synthetic world (scenes' Taxonomy). */
    public static final String DEFAULT_PROMPT_TEMPLATE = "This is an image of a {c}";

    public TrainingConfig {
        if (!GALORE.equals(optimizer) && !ADAMW.equals(optimizer)) {
            throw new IllegalArgumentException(
                    "optimizer must be 'galore' or 'adamw', got " + optimizer);
        }
        // each value named in the message: `this` is not assigned yet in a compact constructor
        require(lr > 0 && !Double.isInfinite(lr), "lr must be > 0", lr);
        require(totalSteps >= 1, "totalSteps must be at least 1", totalSteps);
        require(
                warmupSteps >= 0 && warmupSteps < Math.max(1, totalSteps),
                "warmupSteps must be in [0, totalSteps)",
                warmupSteps);
        require(batchImages >= 1, "batchImages must be at least 1", batchImages);
        require(galoreRank >= 1, "galoreRank must be at least 1", galoreRank);
        require(galoreUpdateGap >= 1, "galoreUpdateGap must be at least 1", galoreUpdateGap);
        require(tau >= 0 && tau < 1, "tau must be in [0, 1)", tau);
        require(retentionLambda >= 0, "retentionLambda must be >= 0", retentionLambda);
        requireWeight(textRetentionLambda, "textRetentionLambda");
        require(
                textLrMultiplier > 0 && !Double.isInfinite(textLrMultiplier),
                "textLrMultiplier must be finite and > 0",
                textLrMultiplier);
        requireWeight(patchLambda, "patchLambda");
        requireWeight(imageLambda, "imageLambda");
        requireWeight(countLambda, "countLambda");
        requireWeight(placeLambda, "placeLambda");
        trainableBlocks = trainableBlocks == null ? "" : trainableBlocks;
        textOptimizer = textOptimizer == null ? "" : textOptimizer;
        if (!textOptimizer.isEmpty()
                && !GALORE.equals(textOptimizer)
                && !ADAMW.equals(textOptimizer)) {
            throw new IllegalArgumentException(
                    "text optimizer must be empty, 'galore' or 'adamw', got " + textOptimizer);
        }
        lossWeighting = lossWeighting == null ? LossWeighting.INSTANCE : lossWeighting;
        try {
            Pattern.compile(trainableBlocks);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "trainableBlocks is not a regular expression: " + e.getMessage());
        }
        promptTemplates = new PromptTemplates(promptTemplates).templates(); // validates, copies
    }

    private static void require(boolean ok, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(
                    "invalid training config: " + rule + ", got " + value);
        }
    }

    /** A term's weight: finite and ≥ 0 (0: off). */
    private static void requireWeight(float lambda, String name) {
        require(
                lambda >= 0 && !Float.isInfinite(lambda),
                name + " must be finite and >= 0",
                lambda);
    }

    /** The defaults above with GaLore and the given number of steps. */
    public static TrainingConfig defaults(int totalSteps) {
        return new TrainingConfig(
                GALORE,
                1e-3,
                Math.min(10, totalSteps / 10),
                totalSteps,
                0.1,
                0.0,
                32,
                GaloreConfig.UPDATE_GAP,
                GaloreConfig.SCALE,
                MomentPolicy.KEEP,
                0f,
                0f,
                true,
                16,
                List.of(DEFAULT_PROMPT_TEMPLATE),
                42L,
                0f,
                1.0,
                "",
                LossWeighting.INSTANCE,
                0f,
                0f,
                0f,
                0f,
                "");
    }

    /**
     * The recipe rounds run with unless told otherwise: {@link #defaults} with lr {@link
     * #DEFAULT_LR}, λ {@link #DEFAULT_RETENTION_LAMBDA}, λ_t {@link #DEFAULT_TEXT_RETENTION_LAMBDA}
     * (the retention terms need the frozen base encoder), the text tower at {@link
     * #DEFAULT_TEXT_LR_MULTIPLIER} × lr, and the presence terms at λ_p {@link
     * #DEFAULT_PATCH_LAMBDA} and λ_i {@link #DEFAULT_IMAGE_LAMBDA}. The experiment's arms start
     * from it; the trainer service's keys default to the same constants.
     */
    public static TrainingConfig recipe(int totalSteps) {
        return defaults(totalSteps).toBuilder()
                .lr(Double.parseDouble(DEFAULT_LR))
                .retentionLambda(Float.parseFloat(DEFAULT_RETENTION_LAMBDA))
                .textRetentionLambda(Float.parseFloat(DEFAULT_TEXT_RETENTION_LAMBDA))
                .textLrMultiplier(Double.parseDouble(DEFAULT_TEXT_LR_MULTIPLIER))
                .patchLambda(Float.parseFloat(DEFAULT_PATCH_LAMBDA))
                .imageLambda(Float.parseFloat(DEFAULT_IMAGE_LAMBDA))
                .build();
    }

    @JsonIgnore
    public boolean usesGalore() {
        return GALORE.equals(optimizer);
    }

    /**
     * Whether the text tower trains at a rate other than lr (its own optimizer, docs/METHOD.md §4).
     */
    @JsonIgnore
    public boolean separateTextRate() {
        return trainText && textLrMultiplier != 1.0;
    }

    /** The text tower's optimizer: {@link #textOptimizer} when set, else {@link #optimizer}. */
    @JsonIgnore
    public String textTowerOptimizer() {
        return textOptimizer.isEmpty() ? optimizer : textOptimizer;
    }

    /**
     * Whether the text tower gets an optimizer of its own: it trains, at another rate or with
     * another optimizer than the rest (docs/METHOD.md §4).
     */
    @JsonIgnore
    public boolean separateTextOptimizer() {
        return separateTextRate() || (trainText && !textTowerOptimizer().equals(optimizer));
    }

    /** The templates as {@link PromptTemplates}. */
    public PromptTemplates prompts() {
        return new PromptTemplates(promptTemplates);
    }

    /** K, the prompts per class. */
    @JsonIgnore
    public int promptsPerClass() {
        return promptTemplates.size();
    }

    /**
     * The prompt of a class under the only template.
     *
     * @throws IllegalStateException when there are K > 1 templates (use {@link #prompts()})
     */
    public String prompt(String className) {
        if (promptTemplates.size() != 1) {
            throw new IllegalStateException(
                    promptTemplates.size()
                            + " prompt templates give "
                            + promptTemplates.size()
                            + " prompts per class; use prompts()");
        }
        return prompts().prompts(className).get(0);
    }

    public TrainingConfig withPromptTemplates(List<String> templates) {
        return toBuilder().promptTemplates(templates).build();
    }

    public TrainingConfig withOptimizer(String name) {
        return toBuilder().optimizer(name).build();
    }

    public TrainingConfig withLr(double value) {
        return toBuilder().lr(value).build();
    }

    public TrainingConfig withGaloreRank(int rank) {
        return toBuilder().galoreRank(rank).build();
    }

    public TrainingConfig withMomentPolicy(MomentPolicy policy) {
        return toBuilder().momentPolicy(policy).build();
    }

    public TrainingConfig withUpdateGap(int gap) {
        return toBuilder().galoreUpdateGap(gap).build();
    }

    public TrainingConfig withTau(float value) {
        return toBuilder().tau(value).build();
    }

    public TrainingConfig withRetentionLambda(float value) {
        return toBuilder().retentionLambda(value).build();
    }

    public TrainingConfig withTrainText(boolean value) {
        return toBuilder().trainText(value).build();
    }

    public TrainingConfig withTextRetentionLambda(float value) {
        return toBuilder().textRetentionLambda(value).build();
    }

    public TrainingConfig withTextLrMultiplier(double value) {
        return toBuilder().textLrMultiplier(value).build();
    }

    public TrainingConfig withLossWeighting(LossWeighting value) {
        return toBuilder().lossWeighting(value).build();
    }

    public TrainingConfig withPatchLambda(float value) {
        return toBuilder().patchLambda(value).build();
    }

    public TrainingConfig withImageLambda(float value) {
        return toBuilder().imageLambda(value).build();
    }

    public TrainingConfig withCountLambda(float value) {
        return toBuilder().countLambda(value).build();
    }

    public TrainingConfig withPlaceLambda(float value) {
        return toBuilder().placeLambda(value).build();
    }

    public TrainingConfig withTextOptimizer(String name) {
        return toBuilder().textOptimizer(name).build();
    }

    public TrainingConfig withTrainableBlocks(String regex) {
        return toBuilder().trainableBlocks(regex).build();
    }

    public TrainingConfig withGaloreScale(double value) {
        return toBuilder().galoreScale(value).build();
    }

    public TrainingConfig withWeightDecay(double value) {
        return toBuilder().weightDecay(value).build();
    }

    public TrainingConfig withSeed(long value) {
        return toBuilder().seed(value).build();
    }

    public TrainingConfig withBatchImages(int value) {
        return toBuilder().batchImages(value).build();
    }

    /**
     * Changes the schedule's length; the warm-up shrinks to a tenth of it when it would not fit.
     */
    public TrainingConfig withTotalSteps(int steps) {
        return toBuilder().totalSteps(steps).warmupSteps(Math.min(warmupSteps, steps / 10)).build();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.optimizer = optimizer;
        b.lr = lr;
        b.warmupSteps = warmupSteps;
        b.totalSteps = totalSteps;
        b.minLrRatio = minLrRatio;
        b.weightDecay = weightDecay;
        b.galoreRank = galoreRank;
        b.galoreUpdateGap = galoreUpdateGap;
        b.galoreScale = galoreScale;
        b.momentPolicy = momentPolicy;
        b.tau = tau;
        b.retentionLambda = retentionLambda;
        b.trainText = trainText;
        b.batchImages = batchImages;
        b.promptTemplates = promptTemplates;
        b.seed = seed;
        b.textRetentionLambda = textRetentionLambda;
        b.textLrMultiplier = textLrMultiplier;
        b.trainableBlocks = trainableBlocks;
        b.lossWeighting = lossWeighting;
        b.patchLambda = patchLambda;
        b.imageLambda = imageLambda;
        b.countLambda = countLambda;
        b.placeLambda = placeLambda;
        b.textOptimizer = textOptimizer;
        return b;
    }

    /** Mutable copy of the fields; {@link #build()} validates. */
    public static final class Builder {
        private String optimizer;
        private double lr;
        private int warmupSteps;
        private int totalSteps;
        private double minLrRatio;
        private double weightDecay;
        private int galoreRank;
        private int galoreUpdateGap;
        private double galoreScale;
        private MomentPolicy momentPolicy;
        private float tau;
        private float retentionLambda;
        private boolean trainText;
        private int batchImages;
        private List<String> promptTemplates;
        private long seed;
        private float textRetentionLambda;
        private double textLrMultiplier = 1.0;
        private String trainableBlocks = "";
        private LossWeighting lossWeighting = LossWeighting.INSTANCE;
        private float patchLambda;
        private float imageLambda;
        private float countLambda;
        private float placeLambda;
        private String textOptimizer = "";

        public Builder optimizer(String value) {
            this.optimizer = value;
            return this;
        }

        public Builder lr(double value) {
            this.lr = value;
            return this;
        }

        public Builder warmupSteps(int value) {
            this.warmupSteps = value;
            return this;
        }

        public Builder totalSteps(int value) {
            this.totalSteps = value;
            return this;
        }

        public Builder minLrRatio(double value) {
            this.minLrRatio = value;
            return this;
        }

        public Builder weightDecay(double value) {
            this.weightDecay = value;
            return this;
        }

        public Builder galoreRank(int value) {
            this.galoreRank = value;
            return this;
        }

        public Builder galoreUpdateGap(int value) {
            this.galoreUpdateGap = value;
            return this;
        }

        public Builder galoreScale(double value) {
            this.galoreScale = value;
            return this;
        }

        public Builder momentPolicy(MomentPolicy value) {
            this.momentPolicy = value;
            return this;
        }

        public Builder tau(float value) {
            this.tau = value;
            return this;
        }

        public Builder retentionLambda(float value) {
            this.retentionLambda = value;
            return this;
        }

        public Builder trainText(boolean value) {
            this.trainText = value;
            return this;
        }

        public Builder batchImages(int value) {
            this.batchImages = value;
            return this;
        }

        public Builder promptTemplates(List<String> value) {
            this.promptTemplates = value;
            return this;
        }

        /** One template: K = 1. */
        public Builder promptTemplate(String value) {
            this.promptTemplates = List.of(value);
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder textRetentionLambda(float value) {
            this.textRetentionLambda = value;
            return this;
        }

        public Builder textLrMultiplier(double value) {
            this.textLrMultiplier = value;
            return this;
        }

        public Builder trainableBlocks(String value) {
            this.trainableBlocks = value;
            return this;
        }

        public Builder lossWeighting(LossWeighting value) {
            this.lossWeighting = value;
            return this;
        }

        public Builder patchLambda(float value) {
            this.patchLambda = value;
            return this;
        }

        public Builder imageLambda(float value) {
            this.imageLambda = value;
            return this;
        }

        public Builder countLambda(float value) {
            this.countLambda = value;
            return this;
        }

        public Builder placeLambda(float value) {
            this.placeLambda = value;
            return this;
        }

        public Builder textOptimizer(String value) {
            this.textOptimizer = value;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(
                    optimizer,
                    lr,
                    warmupSteps,
                    totalSteps,
                    minLrRatio,
                    weightDecay,
                    galoreRank,
                    galoreUpdateGap,
                    galoreScale,
                    momentPolicy,
                    tau,
                    retentionLambda,
                    trainText,
                    batchImages,
                    promptTemplates,
                    seed,
                    textRetentionLambda,
                    textLrMultiplier,
                    trainableBlocks,
                    lossWeighting,
                    patchLambda,
                    imageLambda,
                    countLambda,
                    placeLambda,
                    textOptimizer);
        }
    }
}
