package eagle.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import eagle.core.eval.Vectors;
import eagle.core.method.EagleLoss;
import eagle.core.method.MaskedAveragePooling;
import eagle.core.method.PromptRetentionLoss;
import eagle.core.model.ClipModel;
import eagle.core.model.ImageFeatures;
import eagle.core.optim.AdamConfig;
import eagle.core.optim.AdamW;
import eagle.core.optim.GaloreAdamW;
import eagle.core.optim.GaloreConfig;
import eagle.core.optim.LearningRateSchedule;
import eagle.core.optim.ParameterOptimizer;
import eagle.core.text.Tokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One EAGLE fine-tuning step (docs/METHOD.md §2–§5): encode a class-balanced batch of images, pool
 * the patch features under every instance mask, compare the pooled instances with the class-prompt
 * embeddings through the dual loss, and update the block weights with GaLore-AdamW (or AdamW, the
 * ablation).
 *
 * <pre>
 *   pixels (B, 3, S, S) → ViT → S_p (B, P, D), g (B, D)
 *   v = MaskedAveragePooling(S_p, m)                     (N, D)
 *   e = normalize(T(prompt_k(c))) for every class c, template k    (C·K, D)
 *   t = normalize(mean_k e[c·K + k])                     (C, D); t = e when K = 1
 *   L = L_ins(v, t, y) + L_ce(v, t, y) [+ λ‖ĝ − ĝ₀‖²] [+ λ_t·mean_c ‖t_c − t₀_c‖²]
 *       [+ L_patch(S_p, t)] [+ L_img(S_p, t)] [+ L_count(S_p, u)] [+ L_place(S_p, w)]
 *                                                        (the options of docs/METHOD.md §3)
 *   u = normalize(T(counted phrase (c, n)))             (C·M, D), only with L_count
 *   w = normalize(T(place phrase (c, q)))               (C·Q, D), only with L_place
 * </pre>
 *
 * <p>With K prompt templates a class's text embedding is the re-normalised mean of its K normalised
 * prompt embeddings (CLIP's zero-shot prompt ensembling); with one template it is that prompt's
 * embedding.
 *
 * <p>What trains: the attention and MLP matrices of the residual blocks (the text tower's too
 * unless {@link TrainingConfig#trainText()} is off; only those whose name contains {@link
 * TrainingConfig#trainableBlocks()} when it is set), the model's {@code logit_scale} and the
 * sigmoid loss's scale and bias. Everything else stays frozen. With {@link
 * TrainingConfig#textLrMultiplier()} ≠ 1, or a {@link TrainingConfig#textOptimizer()} other than
 * the rest's, the text tower's matrices get their own optimizer, at that multiple of the rate
 * ({@link TowerRateOptimizer}).
 *
 * <p>The prompt-retention term (λ_t &gt; 0, docs/METHOD.md §3) compares the class embeddings t with
 * t₀, those of the frozen base encoder when one is given, else of the model's own weights when the
 * trainer is built (the run's starting point θ₀); t₀ is computed once. Each step runs in its own
 * {@link NDScope}, so no NDArray outlives it except the parameters and the optimizer state.
 */
public final class EagleTrainer implements AutoCloseable {

    private final ClipModel model;
    private final ClipModel base;
    private final TrainingConfig config;
    private final int[][] promptTokens;
    private final int promptsPerClass;
    private final NDManager manager;
    private final LinkedHashMap<String, NDArray> lossParameters;
    private final LinkedHashMap<String, NDArray> trainable;
    private final ParameterOptimizer optimizer;
    private final MaskedAveragePooling pooling;
    private final EagleLoss loss;
    private final PromptRetentionLoss promptRetention;
    private final PresenceTerms presenceTerms;
    private final NDArray anchorText; // t₀ (C, D), null when λ_t = 0

    /**
     * @param model the encoder to fine-tune (its parameters are updated in place)
     * @param base the frozen base encoder for the retention terms; may be null when λ = 0 (the
     *     prompt term then anchors at the model's weights as passed in)
     * @param config hyper-parameters
     * @param promptTokens the class prompts, tokenised, (C·K, T) with K = {@code
     *     config.promptsPerClass()}: class c's prompts are rows c·K … c·K + K − 1 (as {@code
     *     PromptTemplates.prompts(classes)} orders them); with K = 1 class c is row c
     * @throws IllegalArgumentException when the rows are not a positive multiple of K
     */
    public EagleTrainer(
            ClipModel model, ClipModel base, TrainingConfig config, int[][] promptTokens) {
        this(model, base, config, promptTokens, TermPhrases.none());
    }

    /**
     * A trainer with the phrases of the count and place terms.
     *
     * @param phrases the counted phrases (C·M, T), class c's rows c·M … c·M + M − 1 for counts 1 …
     *     M, needed when {@code config.countLambda() > 0}; the place phrases (C·Q, T), needed when
     *     {@code config.placeLambda() > 0}; ignored when their term is off
     * @throws IllegalArgumentException when a term is on and its phrases are missing or not whole
     *     per class
     */
    public EagleTrainer(
            ClipModel model,
            ClipModel base,
            TrainingConfig config,
            int[][] promptTokens,
            TermPhrases phrases) {
        if (config.retentionLambda() > 0 && base == null) {
            throw new IllegalArgumentException(
                    "retention lambda > 0 needs the frozen base encoder");
        }
        int k = config.promptsPerClass();
        if (promptTokens.length == 0 || promptTokens.length % k != 0) {
            throw new IllegalArgumentException(
                    promptTokens.length
                            + " prompt rows are not C·K for K = "
                            + k
                            + " templates per class");
        }
        phrases.check(config, promptTokens.length / k);
        NativeMemory.keepFreedPages(); // a step's memory stays mapped across steps
        this.model = model;
        this.base = base;
        this.config = config;
        this.promptTokens = promptTokens;
        this.promptsPerClass = k;
        this.manager = NDManager.newBaseManager(model.device());
        this.lossParameters = EagleLoss.createLossParameters(manager);
        this.pooling = new MaskedAveragePooling(config.tau());
        this.loss = new EagleLoss(config.retentionLambda(), config.lossWeighting());
        this.promptRetention = new PromptRetentionLoss(config.textRetentionLambda());
        this.presenceTerms = new PresenceTerms(config, phrases);

        model.setTrainable(trainablePredicate(config));
        if (base != null) {
            base.setTrainable(name -> false);
        }
        this.anchorText =
                config.textRetentionLambda() > 0
                        ? anchorEmbeddings(base != null ? base : model)
                        : null;
        this.trainable = new LinkedHashMap<>(model.trainableParameters());
        lossParameters.forEach(
                (name, array) -> {
                    array.setRequiresGradient(true);
                    trainable.put(name, array);
                });
        this.optimizer =
                config.separateTextOptimizer()
                        ? new TowerRateOptimizer(
                                newOptimizer(config, config.lr()),
                                newOptimizer(
                                        config.withOptimizer(config.textTowerOptimizer()),
                                        config.lr() * config.textLrMultiplier()),
                                TowerRateOptimizer::isTextTower,
                                config.textLrMultiplier())
                        : newOptimizer(config, config.lr());
    }

    /** GaLore-AdamW or AdamW as configured, at {@code lr} (docs/METHOD.md §5). */
    private static ParameterOptimizer newOptimizer(TrainingConfig config, double lr) {
        return config.usesGalore()
                ? new GaloreAdamW(
                        new GaloreConfig(
                                config.galoreRank(),
                                config.galoreUpdateGap(),
                                config.galoreScale(),
                                lr,
                                AdamConfig.BETA1,
                                AdamConfig.BETA2,
                                GaloreConfig.EPS,
                                config.weightDecay(),
                                config.momentPolicy(),
                                ClipModel::isGaloreTarget))
                : new AdamW(
                        new AdamConfig(
                                lr,
                                AdamConfig.BETA1,
                                AdamConfig.BETA2,
                                AdamConfig.EPS,
                                config.weightDecay()));
    }

    /**
     * t₀ = the class embeddings of {@code reference}'s weights now, (C, D), kept in the trainer's
     * manager.
     */
    private NDArray anchorEmbeddings(ClipModel reference) {
        try (NDScope scope = new NDScope()) {
            NDArray t0 =
                    classEmbeddings(reference.encodeText(promptTokens, manager))
                            .stopGradient(); // (C, D)
            NDScope.unregister(t0);
            return t0;
        }
    }

    /**
     * A trainer whose class prompts are {@code config.prompts()} of {@code classNames}, and whose
     * counted and place phrases (with λ_n, λ_s &gt; 0) are {@link TermPhrases#of} them, tokenised
     * by {@code tokenizer}; class ids index {@code classNames}.
     *
     * @throws IllegalArgumentException when a term is on and the tokenizer cannot encode one of its
     *     phrases
     */
    public EagleTrainer(
            ClipModel model,
            ClipModel base,
            TrainingConfig config,
            Tokenizer tokenizer,
            List<String> classNames) {
        this(
                model,
                base,
                config,
                tokenizer.encodeBatch(config.prompts().prompts(classNames)),
                TermPhrases.of(config, tokenizer, classNames));
    }

    /**
     * Block matrices (text ones when configured, only those matching {@code trainableBlocks} when
     * set) plus the model's logit scale.
     */
    static Predicate<String> trainablePredicate(TrainingConfig config) {
        Pattern blocks =
                config.trainableBlocks().isEmpty()
                        ? null
                        : Pattern.compile(config.trainableBlocks());
        return name ->
                name.equals("logit_scale")
                        || (ClipModel.isGaloreTarget(name)
                                && (config.trainText() || name.startsWith("visual."))
                                && (blocks == null || blocks.matcher(name).find()));
    }

    /**
     * One step on a batch.
     *
     * @param batch images with their instances (class ids index the prompt rows)
     * @return the losses, read back to the host
     */
    public StepLosses step(List<TrainingSample> batch) {
        int step = optimizer.stepCount() + 1;
        double lr =
                LearningRateSchedule.cosine(
                        step - 1,
                        config.warmupSteps(),
                        config.totalSteps(),
                        config.lr(),
                        config.lr() * config.minLrRatio());
        TrainingBatch packed = TrainingBatch.pack(batch, model.config().vision().imageSize());
        double[] values;
        double textValue = 0;
        double patchValue = 0;
        double imageValue = 0;
        double countValue = 0;
        double placeValue = 0;
        try (NDScope scope = new NDScope()) {
            NDArray pixels = manager.create(packed.pixels(), packed.pixelShape()); // (B, 3, S, S)
            EagleLoss.LossParts parts;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ImageFeatures features = model.encodeImage(pixels);
                NDArray v =
                        pooling.pool(
                                features.patches(),
                                packed.imageIndex(),
                                packed.coverage()); // (N, D)
                NDArray t = classEmbeddings(model.encodeText(promptTokens, manager)); // (C, D)
                NDArray g = null;
                NDArray g0 = null;
                if (config.retentionLambda() > 0) {
                    g = features.cls();
                    g0 = base.encodeImage(pixels).cls().stopGradient();
                }
                parts =
                        loss.compute(
                                v, t, packed.labels(), model.logitScale(), lossParameters, g, g0);
                PresenceTerms.Added presence =
                        presenceTerms.add(
                                parts, model, manager, features, t, packed, lossParameters);
                parts = presence.parts();
                patchValue = presence.patch();
                imageValue = presence.image();
                countValue = presence.count();
                placeValue = presence.place();
                if (anchorText != null) {
                    NDArray textRetention = promptRetention.compute(t, anchorText); // ()
                    parts = parts.plus(textRetention);
                    textValue = textRetention.getFloat();
                }
                collector.backward(parts.total());
            }
            values =
                    new double[] {
                        parts.ins().getFloat(),
                        parts.ce().getFloat(),
                        parts.retention().getFloat(),
                        parts.total().getFloat()
                    };
            Map<String, NDArray> grads = new LinkedHashMap<>();
            trainable.forEach((name, array) -> grads.put(name, array.getGradient()));
            optimizer.setLearningRate(lr);
            disableGradMode();
            optimizer.step(trainable, grads);
            grads.values()
                    .forEach(grad -> grad.subi(grad)); // zero the accumulated gradients in place
        }
        return new StepLosses(
                step,
                values[0],
                values[1],
                values[2],
                values[3],
                lr,
                packed.labels().length,
                textValue,
                patchValue,
                imageValue,
                countValue,
                placeValue);
    }

    /**
     * The optimizer updates parameters in place, which PyTorch refuses while grad mode is on. Grad
     * mode is per thread and on by default; DJL switches it off only on the thread that loaded the
     * engine, so a trainer running on any other thread switches it off itself.
     */
    private static void disableGradMode() {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        }
    }

    /**
     * The class text embeddings from the prompts' features.
     *
     * @param features (C·K, D) unnormalised, class-major
     * @return (C, D): the normalised features when K = 1, else the re-normalised mean of each
     *     class's K normalised features
     */
    NDArray classEmbeddings(NDArray features) {
        NDArray e = Vectors.normalized(features); // (C·K, D)
        if (promptsPerClass == 1) {
            return e;
        }
        long d = e.getShape().get(1);
        NDArray perClass = e.reshape(-1, promptsPerClass, d); // (C, K, D)
        return Vectors.normalized(perClass.mean(new int[] {1})); // (C, D)
    }

    public ClipModel model() {
        return model;
    }

    public TrainingConfig config() {
        return config;
    }

    public ParameterOptimizer optimizer() {
        return optimizer;
    }

    /** The sigmoid loss's learnable scale and bias, by name. */
    public LinkedHashMap<String, NDArray> lossParameters() {
        return new LinkedHashMap<>(lossParameters);
    }

    /** Names of every parameter this trainer updates. */
    public List<String> trainableNames() {
        return List.copyOf(trainable.keySet());
    }

    public int stepCount() {
        return optimizer.stepCount();
    }

    @Override
    public void close() {
        optimizer.close();
        if (anchorText != null) {
            anchorText.close();
        }
        manager.close();
    }
}
