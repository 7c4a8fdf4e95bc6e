package eagle.scenes.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import eagle.core.model.ClipModel;
import eagle.core.model.ImageFeatures;
import eagle.core.text.WordTokenizer;
import eagle.scenes.SceneGenerator;
import eagle.scenes.experiment.Args;
import eagle.scenes.experiment.ClipSuiteEncoder;
import eagle.scenes.experiment.EmbeddedBase;
import eagle.scenes.suite.Suite;
import eagle.scenes.suite.SuiteConfig;
import eagle.scenes.suite.SuiteEncoder;
import eagle.scenes.suite.SuiteResult;
import eagle.scenes.suite.SuiteRunner;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The evaluator's cost (docs/METHOD.md §6; not a timed test): the time to evaluate one candidate
 * (the embedded base encoder) on the standard held-out suite, as the evaluator's {@code
 * SuiteRunner} does it, at several encoder batch sizes, with the images/s of its forward passes
 * (preprocessing included) against the raw image-tower rate of the same model on ready tensors —
 * the trainer's inference rate — at the trainer's batch of 32 and at each evaluation batch.
 *
 * <pre>
 *   ./eagle bench evaluator [--batches 64,256,1024,2000] [--suite standard|small]
 * </pre>
 *
 * Every batch size gives the same metrics (checked; they are printed once).
 */
public final class EvaluatorBenchmark {

    /** Forward passes counted and timed around another encoder. */
    static final class TimedEncoder implements SuiteEncoder {
        private final SuiteEncoder inner;
        private final java.lang.management.ThreadMXBean clock =
                java.lang.management.ManagementFactory.getThreadMXBean();
        long images;
        long imageNanos;
        long imageCpuNanos;
        long texts;
        long textNanos;

        TimedEncoder(SuiteEncoder inner) {
            this.inner = inner;
        }

        @Override
        public float[][] imageCls(List<BufferedImage> batch) {
            long t0 = System.nanoTime();
            long c0 = clock.getCurrentThreadCpuTime();
            float[][] out = inner.imageCls(batch);
            imageCpuNanos += clock.getCurrentThreadCpuTime() - c0;
            imageNanos += System.nanoTime() - t0;
            images += batch.size();
            return out;
        }

        @Override
        public float[][][] imagePatches(List<BufferedImage> batch) {
            long t0 = System.nanoTime();
            long c0 = clock.getCurrentThreadCpuTime();
            float[][][] out = inner.imagePatches(batch);
            imageCpuNanos += clock.getCurrentThreadCpuTime() - c0;
            imageNanos += System.nanoTime() - t0;
            images += batch.size();
            return out;
        }

        @Override
        public float[][] texts(List<String> prompts) {
            long t0 = System.nanoTime();
            float[][] out = inner.texts(prompts);
            textNanos += System.nanoTime() - t0;
            texts += prompts.size();
            return out;
        }

        @Override
        public int inputSize() {
            return inner.inputSize();
        }
    }

    public static void main(String[] argv) throws Exception {
        int[] batches;
        SuiteConfig suiteConfig;
        try {
            Args args = Args.parse(argv, Set.of("batches", "suite"));
            String list = args.get("batches", "64,256,1024,2000");
            try {
                batches = Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--batches must be whole numbers separated by commas, got '" + list + "'");
            }
            if (Arrays.stream(batches).anyMatch(b -> b < 1)) {
                throw new IllegalArgumentException(
                        "--batches must be at least 1, got '" + list + "'");
            }
            suiteConfig = SuiteConfig.named(args.get("suite", "standard"));
        } catch (IllegalArgumentException e) {
            Args.exitWithUsageError("bench evaluator", e);
            return;
        }
        System.out.println(
                "device: " + EmbeddedBase.device() + ", threads: " + BenchMachine.threads());
        long t0 = System.nanoTime();
        Suite suite = Suite.build(SceneGenerator.standard(64), suiteConfig);
        System.out.printf(
                Locale.ROOT,
                "suite %s built in %.1f s (once per suite version, not per candidate): %d"
                        + " zero-shot items, %d POPE images, %d MMVP-style pairs%n",
                suite.id(),
                (System.nanoTime() - t0) / 1e9,
                suite.zeroShotItems().size(),
                suite.pope().images().size(),
                suite.mmvp().size());
        EmbeddedBase base = EmbeddedBase.standard();
        WordTokenizer tokenizer = base.loadTokenizer();
        try (ClipModel model = base.loadModel()) {
            int size = model.config().vision().imageSize();
            SuiteResult first = null;
            for (int batch : batches) {
                TimedEncoder timed;
                SuiteResult result;
                long start = System.nanoTime();
                try (ClipSuiteEncoder clip = new ClipSuiteEncoder(model, tokenizer)) {
                    timed = new TimedEncoder(clip);
                    SuiteRunner.Options d = SuiteRunner.Options.defaults();
                    result =
                            SuiteRunner.run(
                                    timed,
                                    suite,
                                    new SuiteRunner.Options(batch, d.mmvp(), d.bootstrap()));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (first == null) {
                    first = result;
                    System.out.println("metrics: " + result.metrics());
                } else if (!result.metrics().equals(first.metrics())) {
                    System.out.println(
                            "warning: batch " + batch + " gave other metrics: " + result.metrics());
                }
                double forward = timed.imageNanos / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "batch %d: one candidate evaluated in %.1f s; image forward passes %d"
                                + " in %.1f s = %.0f images/s (preprocessing and host copies"
                                + " included; %.0f images per CPU second of this thread), text %d prompts in %.2f s, the rest (metrics,"
                                + " bootstrap) %.1f s; raw forward at batch %d: %.0f images/s%n",
                        batch,
                        seconds,
                        timed.images,
                        forward,
                        timed.images / forward,
                        timed.images / (timed.imageCpuNanos / 1e9),
                        timed.texts,
                        timed.textNanos / 1e9,
                        seconds - forward - timed.textNanos / 1e9,
                        batch,
                        forwardRate(model, size, Math.min(batch, timed.images)));
            }
            System.out.printf(
                    Locale.ROOT,
                    "the trainer's inference rate (raw forward, batch 32, no gradients): %.0f"
                            + " images/s%n",
                    forwardRate(model, size, 32));
        }
    }

    /**
     * Images/s of {@code encodeImage} on a ready (B, 3, S, S) tensor, no gradients recorded, the
     * features read back to the host as the evaluator does; best of a few repetitions.
     */
    static double forwardRate(ClipModel model, int size, long batch) {
        int b = (int) batch;
        float[] values = new float[b * 3 * size * size];
        Random random = new Random(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        List<Long> times = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(model.device())) {
            NDArray pixels = manager.create(values, new Shape(b, 3, size, size)); // (B, 3, S, S)
            int reps = Math.max(3, (int) Math.min(20, 2000 / batch));
            for (int r = 0; r < reps + 1; r++) {
                try (NDScope scope = new NDScope()) {
                    long t0 = System.nanoTime();
                    ImageFeatures f = model.encodeImage(pixels);
                    f.cls().toFloatArray();
                    f.patches().toFloatArray();
                    if (r > 0) {
                        times.add(System.nanoTime() - t0);
                    }
                }
            }
        }
        long best = times.stream().mapToLong(Long::longValue).min().orElseThrow();
        return b / (best / 1e9);
    }
}
