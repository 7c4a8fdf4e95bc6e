package eagle.scenes.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import eagle.core.image.ImagePreprocessor;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.train.ClassBalancedSampler;
import eagle.core.train.EagleTrainer;
import eagle.core.train.TrainingConfig;
import eagle.core.train.TrainingSample;
import eagle.scenes.SceneGenerator;
import eagle.scenes.experiment.Args;
import eagle.scenes.experiment.EmbeddedBase;
import eagle.scenes.experiment.TrainingSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The core library's benchmark (not a timed test): EAGLE training images/s of the {@code tiny}
 * preset at batch 32 with GaLore-AdamW and with AdamW (same model, same batches), the
 * optimizer-state bytes of each, and the machine's own GEMM FLOP/s measured in the same run, so the
 * trainer's share of the machine can be stated as a ratio.
 *
 * <pre>
 *   ./eagle bench core [--batch 32] [--steps 30] [--warmup 5] [--gap 200]
 * </pre>
 */
public final class CoreBenchmark {

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, Set.of("batch", "steps", "warmup", "gap"));
        int batch = args.getInt("batch", 32);
        int steps = args.getInt("steps", 30);
        int warmup = args.getInt("warmup", 5);
        int gap = args.getInt("gap", 200);

        double gemm = gemmFlops(512, 20);
        System.out.printf(Locale.ROOT, "GEMM 512x512x512 float32: %.2f GFLOP/s%n", gemm / 1e9);

        SceneGenerator generator = SceneGenerator.standard(64);
        ClipConfig config = ClipConfig.tiny(generator.taxonomy().size() + 200);
        ImagePreprocessor preprocessor = new ImagePreprocessor(config.vision().imageSize());
        List<TrainingSample> samples = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            samples.add(
                    TrainingSamples.of(
                            generator.generate(2_000_000_000L + i),
                            preprocessor,
                            config.vision().patchSize()));
        }
        int[][] prompts = new int[generator.taxonomy().size()][config.text().contextLength()];
        for (int c = 0; c < prompts.length; c++) {
            prompts[c][0] = config.text().vocabSize() - 2;
            prompts[c][1] = 1 + c;
            prompts[c][2] = config.text().vocabSize() - 1;
        }
        double flopsPerImage = trainFlopsPerImage(config, prompts.length, batch);
        System.out.printf(
                Locale.ROOT,
                "tiny: %s%nestimated training FLOPs per image: %.1f MFLOP%n",
                config.toJson(),
                flopsPerImage / 1e6);
        System.out.println("device: " + EmbeddedBase.device());

        double[] rate = new double[2];
        long[] stateBytes = new long[2];
        String[] names = {TrainingConfig.GALORE, TrainingConfig.ADAMW};
        for (int k = 0; k < 2; k++) {
            TrainingConfig training =
                    TrainingConfig.defaults(warmup + steps)
                            .withOptimizer(names[k])
                            .withBatchImages(batch)
                            .withUpdateGap(gap);
            try (ClipModel model = ClipModel.create(config, EmbeddedBase.device(), 1);
                    EagleTrainer trainer = new EagleTrainer(model, null, training, prompts)) {
                ClassBalancedSampler sampler = new ClassBalancedSampler(7);
                samples.forEach(sampler::add);
                for (int i = 0; i < warmup; i++) {
                    trainer.step(sampler.nextBatch(batch));
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    trainer.step(sampler.nextBatch(batch));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                rate[k] = steps * (double) batch / seconds;
                stateBytes[k] = trainer.optimizer().stateBytes();
                System.out.printf(
                        Locale.ROOT,
                        "%-7s %.1f images/s, %.1f ms/step, optimizer state %.2f MB, %.1f%% of the GEMM rate%n",
                        names[k],
                        rate[k],
                        1000 * seconds / steps,
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
                countRefreshes(warmup, steps, gap),
                steps,
                stateBytes[0] / (double) stateBytes[1]);
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

    /** Sustained float32 matrix-multiply rate through the same engine. */
    static double gemmFlops(int n, int reps) {
        try (NDManager manager = NDManager.newBaseManager(EmbeddedBase.device())) {
            NDArray a = manager.randomNormal(new Shape(n, n));
            NDArray b = manager.randomNormal(new Shape(n, n));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0); // forces completion on asynchronous devices
                }
            }
            return reps * 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * Multiply-adds of the forward pass ×2 for FLOPs, ×3 for forward + backward; the text tower's
     * cost for the C class prompts is shared by the batch.
     */
    static double trainFlopsPerImage(ClipConfig config, int classes, int batch) {
        ClipConfig.VisionConfig v = config.vision();
        int grid = v.imageSize() / v.patchSize();
        double tokens = grid * grid + 1;
        double vision =
                grid * grid * 3.0 * v.patchSize() * v.patchSize() * v.width()
                        + v.layers() * blockMacs(tokens, v.width(), v.mlpRatio())
                        + tokens * v.width() * config.embedDim();
        ClipConfig.TextConfig t = config.text();
        double text =
                classes
                        * (t.layers() * blockMacs(t.contextLength(), t.width(), t.mlpRatio())
                                + t.width() * config.embedDim());
        return 3 * 2 * (vision + text / batch);
    }

    private static double blockMacs(double tokens, int width, double mlpRatio) {
        return tokens * width * 3 * width
                + 2 * tokens * tokens * width
                + tokens * width * width
                + 2 * tokens * width * mlpRatio * width;
    }
}
