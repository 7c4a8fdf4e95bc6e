package eagle.scenes.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import eagle.core.eval.ZeroShot;
import eagle.core.image.ImagePreprocessor;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.optim.AdamConfig;
import eagle.core.optim.AdamW;
import eagle.core.optim.LearningRateSchedule;
import eagle.core.text.WordTokenizer;
import eagle.core.train.NativeMemory;
import eagle.core.train.SeededRandom;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.SeedRanges;
import eagle.scenes.experiment.Args;
import eagle.scenes.experiment.ClipSuiteEncoder;
import eagle.scenes.experiment.EmbeddedBase;
import eagle.scenes.experiment.Progress;
import eagle.scenes.suite.Suite;
import eagle.scenes.suite.SuiteConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pre-trains the {@code tiny} CLIP the ordinary way (CLIP's contrastive loss on generated
 * image-caption pairs) and writes the embedded base encoder: {@code model.safetensors}, {@code
 * tokenizer.json} and {@code pretrain.json} with its config, seed, schedule and zero-shot
 * accuracies.
 *
 * <pre>
 *   ./eagle pretrain --out models/embedded-base [--images 40000] [--steps 1200] [--batch 64]
 *                    [--lr 1e-3] [--seed 1] [--eval-images 480] [--described 0.3]
 *                    [--counted 0] [--caption-objects 0 | --caption-classes 0] [--probe-every 0]
 *                    [--init DIR] [--hard-negatives 0|1]
 * </pre>
 *
 * {@code --described} is the fraction of training seeds rendered as {@link DescribedScenes} (one
 * object, captions with size, place and direction words) and {@code --counted} the fraction of
 * those rendered as {@link CountedScenes} instead (two to four copies of one class, captioned with
 * their count); {@code --caption-objects N} names at most N objects in each other scene's caption,
 * {@code --caption-classes N} at most N of its classes (each with its count; {@link
 * SalientCaptions}; 0, the default, names them all); {@code --probe-every N} probes zero-shot
 * accuracy and writes a checkpoint (the same three files) every N steps, so a long run stopped
 * early still leaves a usable base; {@code --init DIR} starts from the base in DIR instead of a
 * random initialisation (these captions must use every word of its vocabulary and may bring new
 * ones; the optimiser's moments and the schedule start afresh), so a base can be trained further
 * without redoing the steps it already has; {@code --hard-negatives 1} scores each image against
 * its caption's {@link HardNegatives} too (one word of place, direction, size or count turned into
 * its opposite), so that those words come to matter.
 *
 * <p>Phases: vocabulary from the captions and prompts → render the training scenes (training seeds
 * [0, images)) → AdamW on every parameter with a cosine schedule → zero-shot probe (CLS and Seq) on
 * held-out one-object images → save.
 */
public final class Pretrain {

    public static void main(String[] argv) throws Exception {
        Path out;
        int images;
        int steps;
        int batch;
        double lr;
        long seed;
        int evalImages;
        int context;
        int probeEvery;
        boolean hardNegatives;
        double negativeMargin;
        Path init;
        SceneGenerator generator = SceneGenerator.standard(64);
        TrainingScenes scenes;
        try {
            // every option is read here, so a bad one is a message, not a stack trace
            Args args =
                    Args.parse(
                            argv,
                            Set.of(
                                    "out",
                                    "images",
                                    "steps",
                                    "batch",
                                    "lr",
                                    "seed",
                                    "eval-images",
                                    "context",
                                    "described",
                                    "counted",
                                    "caption-objects",
                                    "caption-classes",
                                    "probe-every",
                                    "init",
                                    "hard-negatives",
                                    "negative-margin"));
            out = Path.of(args.get("out", EmbeddedBase.standard().dir().toString()));
            images = args.getInt("images", 40000);
            steps = args.getInt("steps", 1200);
            batch = args.getInt("batch", 64);
            lr = args.getDouble("lr", 1e-3);
            seed = args.getInt("seed", 1);
            evalImages = args.getInt("eval-images", 480);
            context = args.getInt("context", 32);
            probeEvery = args.getInt("probe-every", 0);
            init = args.has("init") ? Path.of(args.get("init", "")) : null;
            int negatives = args.getInt("hard-negatives", 0);
            if (negatives != 0 && negatives != 1) {
                throw new IllegalArgumentException("--hard-negatives must be 0 or 1");
            }
            hardNegatives = negatives == 1;
            negativeMargin = args.getDouble("negative-margin", 1.0);
            if (!(negativeMargin >= -1 && negativeMargin <= 1)) {
                throw new IllegalArgumentException("--negative-margin must be in [-1, 1]");
            }
            SeedRanges.requireTraining(images);
            if (steps < 1 || batch < 1 || evalImages < 1) {
                throw new IllegalArgumentException(
                        "--steps, --batch and --eval-images must be at least 1");
            }
            if (init != null) {
                EmbeddedBase.given("init", init); // refuses a folder without a base encoder
            }
            if (probeEvery < 0) {
                throw new IllegalArgumentException("--probe-every must be at least 0");
            }
            scenes =
                    new TrainingScenes(
                            generator,
                            args.getDouble("described", 0.3),
                            args.getDouble("counted", 0),
                            new SalientCaptions(
                                    generator.taxonomy(),
                                    args.getInt("caption-objects", 0),
                                    args.getInt("caption-classes", 0)));
        } catch (IllegalArgumentException e) {
            Args.exitWithUsageError("pretrain", e);
            return;
        }

        long started = System.nanoTime();

        // phase 1: render the training scenes and their captions
        Progress rendering = new Progress("render scenes", images);
        List<float[]> pixels = new ArrayList<>(images);
        List<String> captions = new ArrayList<>(images);
        ImagePreprocessor preprocessor = null;
        for (int i = 0; i < images; i++) {
            TrainingScenes.Captioned captioned = scenes.get(i);
            Scene scene = captioned.scene();
            if (preprocessor == null) {
                preprocessor = new ImagePreprocessor(scene.image().getWidth());
            }
            pixels.add(preprocessor.preprocess(scene.image()));
            captions.add(captioned.caption());
            rendering.update(i + 1, "");
        }

        // each caption's hard negative (null: none or not asked for), from the seed and its index
        List<String> negatives = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            negatives.add(hardNegatives ? HardNegatives.of(captions.get(i), seed * 31 + i) : null);
        }

        // phase 2: vocabulary of the captions, their negatives and the class prompts
        List<String> texts = new ArrayList<>(captions);
        texts.addAll(generator.taxonomy().prompts());
        negatives.stream().filter(n -> n != null).forEach(texts::add);
        WordTokenizer tokenizer = WordTokenizer.ofTexts(texts, context);
        ClipConfig config = ClipConfig.tiny(tokenizer.vocabSize(), context);
        int[][] captionTokens = tokenizer.encodeBatch(captions);
        int[][] negativeTokens = PretrainBatch.encodeWithGaps(tokenizer, negatives);
        System.err.printf(
                "vocabulary %d words, %d scenes rendered in %.0f s%n",
                tokenizer.words().size(), images, (System.nanoTime() - started) / 1e9);

        // the held-out one-object images every probe scores (built once)
        Suite probe = Suite.build(generator, new SuiteConfig(evalImages, 1, 1, 1, 1));

        // read before the first checkpoint, which may overwrite it when --out is the same folder
        StartingPoint start = new StartingPoint(init);
        JsonNode initialisedFrom = start.record();

        // phase 3: contrastive pre-training
        List<Double> losses = new ArrayList<>();
        ClipModel initial;
        try {
            initial = start.model(config, tokenizer, seed);
        } catch (IllegalArgumentException e) {
            Args.exitWithUsageError("pretrain", e);
            return;
        }
        try (ClipModel model = initial;
                AdamW optimizer = new AdamW(new AdamConfig(lr, 0.9, 0.98, 1e-6, 0.1));
                NDManager manager = NDManager.newBaseManager(model.device())) {
            System.err.println("pre-training on " + model.device());
            // as the EAGLE trainer does: without it each step may re-fault its freed activation
            // memory from the kernel (seen in a long run here: 80,000 page faults a second, half
            // of the CPU time in the kernel, 105 images/s on two threads; 290 once raised)
            NativeMemory.keepFreedPages();
            model.setTrainable(name -> true);
            Map<String, NDArray> params = model.trainableParameters();
            // writes the three files, at a probe or at the end
            Checkpoint checkpoint =
                    (done, seconds, zs) ->
                            new PretrainRecord(
                                            argv,
                                            seed,
                                            images,
                                            scenes.described(),
                                            scenes.counted(),
                                            scenes.salient().objects(),
                                            scenes.salient().classes(),
                                            hardNegatives,
                                            negativeMargin,
                                            done,
                                            batch,
                                            lr,
                                            initialisedFrom)
                                    .write(
                                            out,
                                            model,
                                            tokenizer,
                                            generator,
                                            config,
                                            seconds,
                                            zs,
                                            probe,
                                            losses,
                                            evalImages);
            SeededRandom random = new SeededRandom(seed);
            int size = config.vision().imageSize();
            Progress training = new Progress("pre-train", steps);
            long trainStart = System.nanoTime();
            for (int step = 0; step < steps; step++) {
                PretrainBatch drawn =
                        PretrainBatch.draw(random, batch, pixels, captionTokens, negativeTokens);
                optimizer.setLearningRate(
                        LearningRateSchedule.cosine(step, steps / 20, steps, lr, lr * 0.05));
                double loss;
                try (NDScope scope = new NDScope()) {
                    NDArray total;
                    try (GradientCollector collector =
                            Engine.getInstance().newGradientCollector()) {
                        total = drawn.loss(model, manager, size, negativeMargin);
                        collector.backward(total);
                    }
                    loss = total.getFloat();
                    Map<String, NDArray> grads = new LinkedHashMap<>();
                    params.forEach((name, p) -> grads.put(name, p.getGradient()));
                    optimizer.step(params, grads);
                    grads.values().forEach(gr -> gr.subi(gr));
                }
                losses.add(loss);
                double rate = (step + 1) * batch / ((System.nanoTime() - trainStart) / 1e9);
                training.update(step + 1, String.format("loss %.3f %.0f img/s", loss, rate));
                if (probeEvery > 0 && (step + 1) % probeEvery == 0 && step + 1 < steps) {
                    // a checkpoint: the run can be stopped here and still leave a usable base
                    double[] zs = zeroShot(model, tokenizer, probe);
                    System.err.printf(
                            "step %d: zero-shot CLS %.3f, Seq %.3f; checkpoint written%n",
                            step + 1, zs[0], zs[1]);
                    double seconds = (System.nanoTime() - trainStart) / 1e9;
                    checkpoint.write(step + 1, seconds, zs);
                }
            }
            double trainSeconds = (System.nanoTime() - trainStart) / 1e9;

            // phase 4: zero-shot probe on held-out one-object images
            double[] zs = zeroShot(model, tokenizer, probe);
            System.err.printf(
                    "zero-shot on %d held-out images: CLS %.3f, Seq %.3f (chance %.3f)%n",
                    evalImages, zs[0], zs[1], 1.0 / generator.taxonomy().size());

            // phase 5: save
            checkpoint.write(steps, trainSeconds, zs);
            System.err.println("base encoder written to " + out);
        }
    }

    /**
     * CLS and Seq (mean of the patch features) zero-shot accuracy on the suite's one-object images.
     */
    public static double[] zeroShot(ClipModel model, WordTokenizer tokenizer, Suite suite) {
        try (ClipSuiteEncoder encoder = new ClipSuiteEncoder(model, tokenizer)) {
            float[][] text = encoder.texts(suite.taxonomy().prompts());
            List<BufferedImage> images = suite.zeroShot().stream().map(Scene::image).toList();
            List<float[]> cls = new ArrayList<>();
            List<float[]> seq = new ArrayList<>();
            for (int i = 0; i < images.size(); i += 128) {
                List<BufferedImage> chunk = images.subList(i, Math.min(images.size(), i + 128));
                for (float[] g : encoder.imageCls(chunk)) {
                    cls.add(g);
                }
                for (float[][] patches : encoder.imagePatches(chunk)) {
                    float[] m = new float[patches[0].length];
                    for (float[] p : patches) {
                        for (int d = 0; d < m.length; d++) {
                            m[d] += p[d] / patches.length;
                        }
                    }
                    seq.add(m);
                }
            }
            int[] labels = suite.zeroShotLabels();
            return new double[] {
                ZeroShot.accuracy(cls.toArray(float[][]::new), text, labels),
                ZeroShot.accuracy(seq.toArray(float[][]::new), text, labels)
            };
        }
    }

    /** Writes the base as it stands after {@code done} steps. */
    @FunctionalInterface
    private interface Checkpoint {
        void write(int done, double trainSeconds, double[] zeroShot) throws IOException;
    }
}
