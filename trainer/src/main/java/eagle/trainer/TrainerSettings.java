package eagle.trainer;

import eagle.core.method.LossWeighting;
import eagle.core.model.ClipConfig;
import eagle.core.optim.MomentPolicy;
import eagle.core.text.PromptTemplates;
import eagle.core.train.RecipeByScale;
import eagle.core.train.TrainingConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the trainer is configured with: the {@code eagle.trainer.*} keys, each default here
 * and nowhere else (the Quarkus service injects this mapping; the headless {@link TrainerMain}
 * builds it from a properties file with {@link #from}). The keys are listed in trainer/README.md,
 * "Configuration".
 */
@ConfigMapping(prefix = "eagle.trainer")
public interface TrainerSettings {

    String CANDIDATES_TOPIC = "eagle.trainer.candidates.v1";

    /** false: the service starts without an engine (status 503). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Kafka brokers: {@code kafka.bootstrap.servers}, which has no default (a trainer must not
     * guess its brokers; env KAFKA_BOOTSTRAP_SERVERS in production).
     */
    @WithName("bootstrap-servers")
    @WithDefault("${kafka.bootstrap.servers:}")
    Optional<String> kafkaBootstrapServers();

    /** the samples topic ({@code eagle.contracts.Topics#SAMPLES}) */
    @WithDefault("eagle.samples.v1")
    String topic();

    /** consumer group; committed offsets are a convenience, the checkpoint is the truth */
    @WithDefault("eagle-trainer")
    String groupId();

    /** where "a candidate exists" events go after the registry accepted one */
    @WithDefault(CANDIDATES_TOPIC)
    String candidatesTopic();

    /** checkpoint, replay buffer, starting weights cache, failed rounds and candidates */
    @WithDefault(".eagle/trainer")
    Path stateDir();

    /** root of the content-addressed image store ({@code root/sha[0:2]/sha}) */
    @WithDefault(".eagle/blobs")
    Path blobRoot();

    /** the embedded base encoder ({@code model.safetensors}, its EncoderSpec in the metadata) */
    @WithDefault("models/embedded-base")
    Path baseDir();

    /** Kafka poll timeout */
    @WithName("poll-ms")
    @WithDefault("200")
    long pollMillis();

    /** seed of the replay buffer and (plus the round number) of the class-balanced sampler */
    @WithDefault("42")
    long seed();

    Registry registry();

    Round round();

    Buffer buffer();

    Prompt prompt();

    /** The registry the candidates go to. */
    interface Registry {

        /** base URL (…/api/v1 is appended); empty: candidates stay on disk */
        Optional<String> url();

        /** bearer token with role {@code registry.register} (and {@code registry.read}) */
        Optional<String> token();

        /** the model's name in the registry */
        @WithDefault("eagle-encoder")
        String model();

        /** first retry delay of registry calls (doubles up to {@link #backoffMaxMillis}) */
        @WithName("backoff-ms")
        @WithDefault("500")
        long backoffMillis();

        @WithName("backoff-max-ms")
        @WithDefault("30000")
        long backoffMaxMillis();

        /**
         * connect and request timeout of each metadata call; a candidate's upload and the parent's
         * download may take 60 times as long (an EVA01-CLIP-g is several GB)
         */
        @WithDefault("10s")
        Duration timeout();
    }

    /** The round trigger and the recipe of every round (docs/METHOD.md §2–§5). */
    interface Round {

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
         * recipe's {@value TrainingConfig#DEFAULT_LR} below a 512-wide vision tower, the EAGLE
         * paper's 4e-6 from there)
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
         * the least area, in patches (Σ_p a_p after the centre crop), an instance mask must cover
         * to be used (core's PoolingEligibility); 0: any overlap, as the paper
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
         * parent's scale, as {@link #lr()} ({@value TrainingConfig#DEFAULT_TEXT_LR_MULTIPLIER}
         * below 512 wide, 1 from there)
         */
        Optional<Double> textLrMultiplier();

        /**
         * a round whose parent itself came out of a round trains at this multiple of the rate (both
         * towers); 1: every round at the same rate
         */
        @WithDefault(TrainingConfig.DEFAULT_LATER_LR_SCALE)
        double laterLrScale();

        /**
         * a regular expression over parameter names: only the matching block weights train (e.g.
         * {@code \\.attn\\.}); empty: every block weight of the trained towers
         */
        Optional<String> trainableBlocks();

        /**
         * how L_ins's image-to-text direction and L_ce average over a batch's instances: INSTANCE
         * (each 1/N, the paper's) or CLASS (each class present weighs the same; docs/METHOD.md §3)
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

    /** The replay buffer (docs/METHOD.md §4). */
    interface Buffer {

        /** images kept, split evenly across the classes seen */
        @WithDefault("256")
        int capacity();
    }

    /** Class prompts. */
    interface Prompt {

        /**
         * templates with {@code {c}} (or {@code {}}) where the class name goes; absent: the parent
         * encoder's own templates, else CLIP's default
         */
        Optional<List<String>> templates();
    }

    // ---- derived values ----

    default String bootstrapServers() {
        return kafkaBootstrapServers()
                .filter(v -> !v.isBlank())
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "kafka.bootstrap.servers is not set (the Kafka brokers the trainer reads samples from; env"
                                                + " KAFKA_BOOTSTRAP_SERVERS in production)"));
    }

    default String modelName() {
        return registry().model();
    }

    default Optional<String> registryUrl() {
        return registry().url().filter(v -> !v.isBlank());
    }

    default Optional<String> registryToken() {
        return registry().token().filter(v -> !v.isBlank());
    }

    default long backoffMillis() {
        return registry().backoffMillis();
    }

    default long backoffMaxMillis() {
        return registry().backoffMaxMillis();
    }

    default int minSamples() {
        return round().minSamples();
    }

    default int minClasses() {
        return round().minClasses();
    }

    default int checkpointEvery() {
        return round().checkpointEvery();
    }

    default int bufferCapacity() {
        return buffer().capacity();
    }

    /**
     * The hyper-parameters of each round. Its prompt templates are {@code prompt.templates}, else
     * CLIP's default; a round replaces them by the ones {@link ParentEncoder} chooses for its
     * parent.
     */
    default TrainingConfig training() {
        return withRecipe(configured(RecipeByScale.EMBEDDED));
    }

    /**
     * The rates and presence weights a round with this parent uses: the configured ones, else its
     * scale's; the rate times {@code round.later-lr-scale} when the parent came out of a round.
     */
    default RecipeByScale byScale(ClipConfig parent, boolean fineTuned) {
        Round r = round();
        RecipeByScale chosen = configured(RecipeByScale.forEncoder(parent));
        if (!fineTuned || r.laterLrScale() == 1.0) {
            return chosen;
        }
        return chosen.withLr(
                chosen.lr() * r.laterLrScale(),
                "× round.later-lr-scale "
                        + r.laterLrScale()
                        + " for a parent that came out of a round");
    }

    /**
     * {@code byScale} with the configured {@code round.lr}, text multiplier and presence weights
     * put in.
     */
    default RecipeByScale configured(RecipeByScale byScale) {
        Round r = round();
        if (r.lr().isEmpty()
                && r.textLrMultiplier().isEmpty()
                && r.patchLambda().isEmpty()
                && r.imageLambda().isEmpty()) {
            return byScale;
        }
        return new RecipeByScale(
                r.lr().orElse(byScale.lr()),
                r.textLrMultiplier().orElse(byScale.textLrMultiplier()),
                r.patchLambda().orElse(byScale.patchLambda()),
                r.imageLambda().orElse(byScale.imageLambda()),
                "configured (round.lr, round.text-lr-multiplier, round.patch-lambda,"
                        + " round.image-lambda; otherwise "
                        + byScale.source()
                        + ")");
    }

    /** The round's config with exactly this recipe's rates and presence weights. */
    default TrainingConfig withRecipe(RecipeByScale recipe) {
        Round r = round();
        List<String> templates =
                prompt().templates()
                        .filter(t -> !t.isEmpty())
                        .orElse(PromptTemplates.DEFAULT.templates());
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
                .seed(seed())
                .build();
    }

    /** Refuses settings no round could run with. */
    default TrainerSettings validated() {
        bootstrapServers();
        if (minSamples() < 1
                || minClasses() < 1
                || bufferCapacity() < 0
                || checkpointEvery() < 1
                || !(round().minPatchArea() >= 0)) {
            throw new IllegalArgumentException(
                    "invalid trainer settings: min-samples "
                            + minSamples()
                            + ", min-classes "
                            + minClasses()
                            + ", buffer "
                            + bufferCapacity()
                            + ", checkpoint-every "
                            + checkpointEvery()
                            + ", min-patch-area "
                            + round().minPatchArea());
        }
        if (!(round().laterLrScale() > 0) || Double.isInfinite(round().laterLrScale())) {
            throw new IllegalArgumentException(
                    "round.later-lr-scale must be > 0, got " + round().laterLrScale());
        }
        training(); // TrainingConfig checks the recipe
        return this;
    }

    /**
     * The settings from plain properties (the service's keys; {@code kafka.bootstrap.servers} must
     * be among them), defaults from this mapping: the headless trainer and tests.
     */
    static TrainerSettings from(Map<String, String> properties) {
        SmallRyeConfig config =
                new SmallRyeConfigBuilder()
                        .addDefaultInterceptors() // expands ${kafka.bootstrap.servers:} as Quarkus
                        // does
                        .withSources(
                                new PropertiesConfigSource(properties, "trainer properties", 100))
                        // durations read as Quarkus reads them ("10s", "2m")
                        .withConverter(Duration.class, 100, new DurationConverter())
                        .withMapping(TrainerSettings.class)
                        .withValidateUnknown(false)
                        .build();
        return config.getConfigMapping(TrainerSettings.class).validated();
    }
}
