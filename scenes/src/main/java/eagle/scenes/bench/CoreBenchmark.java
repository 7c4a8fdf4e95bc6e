package eagle.scenes.bench;

import eagle.core.image.ImagePreprocessor;
import eagle.core.method.EagleLoss;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.optim.AdamConfig;
import eagle.core.optim.GaloreConfig;
import eagle.core.train.ClassBalancedSampler;
import eagle.core.train.EagleTrainer;
import eagle.core.train.StepLosses;
import eagle.core.train.TrainingConfig;
import eagle.core.train.TrainingSample;
import eagle.scenes.SceneGenerator;
import eagle.scenes.experiment.Args;
import eagle.scenes.experiment.EmbeddedBase;
import eagle.scenes.experiment.TrainingSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The core library's benchmark (not a timed test): EAGLE training images/s with GaLore-AdamW and
 * with AdamW (same model, same batches), the optimizer-state bytes of each, and the machine's own
 * GEMM FLOP/s measured in the same run, so the trainer's share of the machine can be stated as a
 * ratio. Two models: {@code tiny} at batch 32, and a {@code ViT-B-16}-sized one at 112 px and batch
 * 4 with 8 classes (its towers as the preset's; 112 px keeps a step within seconds on a CPU).
 *
 * <p>With {@code --against-pytorch}, right after each model's Java steps the same steps run in
 * PyTorch eager ({@link PytorchTwin}: the same initial parameters, prompts, batches, loss, trained
 * parameters, optimizers and thread count) and the benchmark prints both rates and their ratio,
 * e.g. {@code GaLore-AdamW, tiny, batch 32: ratio to PyTorch eager 1.23×}.
 *
 * <pre>
 *   ./eagle bench core [--model tiny|ViT-B-16|all] [--against-pytorch]
 *                      [--batch B] [--steps 30] [--warmup 5] [--gap 200] [--classes C]
 * </pre>
 *
 * {@code --model} defaults to {@code tiny}, or to {@code all} with {@code --against-pytorch};
 * {@code --batch}, {@code --steps} and {@code --warmup} override every model's own (tiny: 32, 30,
 * 5; ViT-B-16: 4, 5, 2), and {@code --classes} the number of class prompts (tiny: all 32; ViT-B-16:
 * 8).
 */
public final class CoreBenchmark {

    static final String AGAINST_PYTORCH = "--against-pytorch";

    /**
     * One benchmarked model.
     *
     * @param name as printed
     * @param config the model
     * @param batch images per step
     * @param steps timed steps
     * @param warmup untimed steps before them
     * @param classes C, the class prompts; scene classes are taken modulo C
     * @param images how many distinct images the sampler draws from
     */
    record Case(
            String name,
            ClipConfig config,
            int batch,
            int steps,
            int warmup,
            int classes,
            int images) {}

    public static void main(String[] argv) throws Exception {
        List<String> options = new ArrayList<>(List.of(argv));
        boolean againstPytorch = options.remove(AGAINST_PYTORCH);
        SceneGenerator generator = SceneGenerator.standard(64);
        int gap;
        List<Case> cases;
        try {
            Args args =
                    Args.parse(
                            options.toArray(String[]::new),
                            Set.of("batch", "steps", "warmup", "gap", "model", "classes"));
            gap = args.getInt("gap", 200);
            cases = cases(args, args.get("model", againstPytorch ? "all" : "tiny"), generator);
        } catch (IllegalArgumentException e) {
            Args.exitWithUsageError("bench core", e);
            return;
        }
        boolean twin = false;
        if (againstPytorch) {
            String missing = PytorchTwin.unavailable();
            if (missing == null) {
                twin = true;
            } else {
                System.out.println(
                        "PyTorch twin skipped: "
                                + missing
                                + "; install Debian's PyTorch with: "
                                + PytorchTwin.INSTALL);
            }
        }

        double gemm = TrainingFlops.gemmFlops(512, 20);
        System.out.printf(Locale.ROOT, "GEMM 512x512x512 float32: %.2f GFLOP/s%n", gemm / 1e9);
        System.out.println(
                "device: " + EmbeddedBase.device() + ", threads: " + BenchMachine.threads());
        System.out.println(BenchMachine.mklCodePath());
        for (Case c : cases) {
            run(c, generator, gemm, gap, twin);
        }
    }

    /** The models {@code --model} names, with the options' overrides. */
    private static List<Case> cases(Args args, String which, SceneGenerator generator) {
        int taxonomy = generator.taxonomy().size();
        List<Case> cases = new ArrayList<>();
        if (which.equals("tiny") || which.equals("all")) {
            cases.add(
                    new Case(
                            "tiny",
                            ClipConfig.tiny(taxonomy + 200),
                            args.getInt("batch", 32),
                            args.getInt("steps", 30),
                            args.getInt("warmup", 5),
                            classes(args, taxonomy, taxonomy),
                            512));
        }
        if (which.equals("ViT-B-16") || which.equals("all")) {
            ClipConfig b16 = ClipConfig.preset("ViT-B-16");
            ClipConfig.VisionConfig v = b16.vision();
            ClipConfig small =
                    new ClipConfig(
                            new ClipConfig.VisionConfig(
                                    112,
                                    v.patchSize(),
                                    v.width(),
                                    v.layers(),
                                    v.heads(),
                                    v.mlpRatio(),
                                    v.activation(),
                                    v.layerNormEps()),
                            b16.text(),
                            b16.embedDim());
            cases.add(
                    new Case(
                            "ViT-B-16 at 112 px",
                            small,
                            args.getInt("batch", 4),
                            args.getInt("steps", 5),
                            args.getInt("warmup", 2),
                            classes(args, Math.min(8, taxonomy), taxonomy),
                            64));
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException(
                    "--model must be tiny, ViT-B-16 or all, got '" + which + "'");
        }
        return cases;
    }

    /** {@code --classes C} (1 to the taxonomy's size), else the model's own count. */
    private static int classes(Args args, int own, int taxonomy) {
        int classes = args.getInt("classes", own);
        if (classes < 1 || classes > taxonomy) {
            throw new IllegalArgumentException(
                    "--classes must be between 1 and " + taxonomy + ", got " + classes);
        }
        return classes;
    }

    private static void run(Case c, SceneGenerator generator, double gemm, int gap, boolean twin)
            throws Exception {
        ClipConfig config = c.config();
        ImagePreprocessor preprocessor = new ImagePreprocessor(config.vision().imageSize());
        List<TrainingSample> samples = new ArrayList<>();
        for (int i = 0; i < c.images(); i++) {
            samples.add(
                    withClassesModulo(
                            TrainingSamples.of(
                                    generator.generate(2_000_000_000L + i),
                                    preprocessor,
                                    config.vision().patchSize()),
                            c.classes()));
        }
        int[][] prompts = new int[c.classes()][config.text().contextLength()];
        for (int k = 0; k < prompts.length; k++) {
            prompts[k][0] = config.text().vocabSize() - 2;
            prompts[k][1] = 1 + k;
            prompts[k][2] = config.text().vocabSize() - 1;
        }
        // the text tower runs on the positions through the prompts' end-of-text token (3 here)
        double flopsPerImage = TrainingFlops.perImage(config, prompts.length, 3, c.batch());
        System.out.printf(
                Locale.ROOT,
                "%n%s, batch %d, %d classes: %s%nestimated training FLOPs per image: %.1f MFLOP%n",
                c.name(),
                c.batch(),
                c.classes(),
                config.toJson(),
                flopsPerImage / 1e6);

        double[] rate = new double[2];
        long[] stateBytes = new long[2];
        double[] firstLoss = new double[2];
        double[] lastLoss = new double[2];
        String[] names = {TrainingConfig.GALORE, TrainingConfig.ADAMW};
        Path twinDir = twin ? Files.createTempDirectory("eagle-pytorch-twin-") : null;
        try {
            for (int k = 0; k < 2; k++) {
                TrainingConfig training =
                        TrainingConfig.defaults(c.warmup() + c.steps())
                                .withOptimizer(names[k])
                                .withBatchImages(c.batch())
                                .withUpdateGap(gap);
                try (ClipModel model = ClipModel.create(config, EmbeddedBase.device(), 1);
                        EagleTrainer trainer = new EagleTrainer(model, null, training, prompts)) {
                    if (k == 0 && twinDir != null) {
                        // the same sampler, seed and images: the batches the steps below draw
                        ClassBalancedSampler preview = new ClassBalancedSampler(7);
                        samples.forEach(preview::add);
                        List<List<TrainingSample>> batches = new ArrayList<>();
                        for (int i = 0; i < c.warmup() + c.steps(); i++) {
                            batches.add(preview.nextBatch(c.batch()));
                        }
                        PytorchTwin.export(
                                twinDir, model, prompts, batches, twinSettings(c, training));
                    }
                    ClassBalancedSampler sampler = new ClassBalancedSampler(7);
                    samples.forEach(sampler::add);
                    for (int i = 0; i < c.warmup(); i++) {
                        StepLosses losses = trainer.step(sampler.nextBatch(c.batch()));
                        if (i == 0) {
                            firstLoss[k] = losses.total();
                        }
                    }
                    long t0 = System.nanoTime();
                    for (int i = 0; i < c.steps(); i++) {
                        lastLoss[k] = trainer.step(sampler.nextBatch(c.batch())).total();
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    rate[k] = c.steps() * (double) c.batch() / seconds;
                    stateBytes[k] = trainer.optimizer().stateBytes();
                    System.out.printf(
                            Locale.ROOT,
                            "%-7s %.1f images/s, %.1f ms/step, optimizer state %.2f MB, %.1f%% of"
                                    + " the GEMM rate%n",
                            names[k],
                            rate[k],
                            1000 * seconds / c.steps(),
                            stateBytes[k] / 1e6,
                            100 * rate[k] * flopsPerImage / gemm);
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "GaLore/AdamW step-time ratio %.2f (SVD refresh every %d steps, "
                            + "%d of %d timed steps refresh), state-bytes ratio %.3f%n",
                    rate[1] / rate[0],
                    gap,
                    countRefreshes(c.warmup(), c.steps(), gap),
                    c.steps(),
                    stateBytes[0] / (double) stateBytes[1]);
            if (twinDir != null) {
                EagerComparison.print(
                        PytorchTwin.run(twinDir, List.of(names), BenchMachine.threads()),
                        c,
                        gemm,
                        names,
                        rate,
                        firstLoss,
                        lastLoss);
            }
        } finally {
            if (twinDir != null) {
                PytorchTwin.deleteFolder(twinDir);
            }
        }
    }

    /** What the twin needs besides the tensors: the step's sizes and hyper-parameters. */
    private static Map<String, Object> twinSettings(Case c, TrainingConfig training) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("batch", c.batch());
        s.put("warmup", c.warmup());
        s.put("steps", c.steps());
        s.put("lr", training.lr());
        s.put("warmupSteps", training.warmupSteps());
        s.put("totalSteps", training.totalSteps());
        s.put("minLrRatio", training.minLrRatio());
        s.put("weightDecay", training.weightDecay());
        s.put("galoreRank", training.galoreRank());
        s.put("galoreUpdateGap", training.galoreUpdateGap());
        s.put("galoreScale", training.galoreScale());
        s.put("galoreEps", GaloreConfig.EPS);
        s.put("adamEps", AdamConfig.EPS);
        s.put("beta1", AdamConfig.BETA1);
        s.put("beta2", AdamConfig.BETA2);
        s.put("tau", training.tau());
        s.put("trainText", training.trainText());
        s.put("sigmoidLogitScale", EagleLoss.SIGMOID_LOGIT_SCALE_INIT);
        s.put("sigmoidBias", EagleLoss.SIGMOID_BIAS_INIT);
        return s;
    }

    /** The sample with every class id taken modulo {@code classes}. */
    private static TrainingSample withClassesModulo(TrainingSample sample, int classes) {
        List<TrainingSample.Instance> instances = new ArrayList<>();
        for (TrainingSample.Instance instance : sample.instances()) {
            instances.add(
                    new TrainingSample.Instance(instance.classId() % classes, instance.coverage()));
        }
        return new TrainingSample(sample.imageId(), sample.pixels(), instances);
    }

    private static int countRefreshes(int warmup, int steps, int gap) {
        int n = 0;
        for (int s = warmup; s < warmup + steps; s++) {
            if (s % gap == 0) {
                n++;
            }
        }
        return n;
    }
}
