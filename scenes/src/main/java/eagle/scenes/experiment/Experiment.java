package eagle.scenes.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.image.ImagePreprocessor;
import eagle.core.model.ClipModel;
import eagle.core.text.WordTokenizer;
import eagle.core.train.ClassBalancedSampler;
import eagle.core.train.EagleTrainer;
import eagle.core.train.StepLosses;
import eagle.core.train.TermPhrases;
import eagle.core.train.TrainingConfig;
import eagle.core.train.TrainingSample;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.suite.Suite;
import eagle.scenes.suite.SuiteConfig;
import eagle.scenes.suite.SuiteResult;
import eagle.scenes.suite.SuiteRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The experiment that shows the method works (issue: the embedded world): the embedded base
 * encoder, then EAGLE with GaLore and EAGLE with full fine-tuning on the same data, steps and
 * learning rate, each scored on the same held-out suite.
 *
 * <pre>
 *   ./eagle experiment --out DIR [--steps 900] [--batch 16] [--lr 4e-4] [--rank 32] [--tau 0]
 *                      [--lambda 10] [--train-images 4000] [--train-objects 1..6]
 *                      [--train-counted 0.25]
 *                      [--held-out-classes balanced|NAME,...]
 *                      [--suite standard|small] [--base DIR] [--seed 42]
 *                      [--arms "name:key=value,...;name:..."] [--mmvp max-patch|mean-patch|cls]
 *   ./eagle experiment --rounds K --out DIR [the options above] [--round-images 1000] [--buffer 256]
 *                      [--gate FILE] [--anchor parent|base]
 *                      [--later-lr-scale 0.1]
 * </pre>
 *
 * Arm keys ({@link Arm}): optimizer, lr, steps, batch, wd, seed; GaLore rank, gap, scale (α),
 * moments; tau (τ), lambda (λ, CLS retention), text-lambda (λ_t, prompt retention); text
 * (true|false|frozen), text-lr (the text tower's rate multiplier); blocks (all|attn|mlp|vision or a
 * regular expression); weighting (instance|class, how L_ins's i2t and L_ce average over instances);
 * patch (λ_p, the patch presence term); image (λ_i, the image presence term); count (λ_n, the count
 * presence term).
 *
 * <p>{@code --train-counted F} makes a fraction F of the fine-tuning images counted scenes (two to
 * four copies of one class; {@link FineTuningScenes}; default 0.25, 0 for the world's scenes only),
 * in the single run and in every round.
 *
 * <p>{@code --mmvp} chooses the image representation MMVP statements are scored by (the best patch,
 * as the evaluator scores, by default; the mean of the patches; the CLS feature), so that what an
 * encoder knows can be told from how the suite reads it; the rounds are always scored the
 * evaluator's way.
 *
 * <p>Without {@code --rounds}: writes {@code DIR/metrics.json} ({@code suite_id}, {@code
 * train_counted}, {@code base} and one entry per arm, each with {@code zeroshot_cls}, {@code
 * zeroshot_seq}, {@code pope.*}, {@code mmvp.pair_accuracy}; with {@code --held-out-classes}, also
 * {@code held_out} and {@code trained}, the zero-shot figures over those classes' items and the
 * others', {@link HeldOutClasses}) and {@code DIR/report.html} (with the trade-off fronts across
 * arms), and returns the metrics so a test can assert on them.
 *
 * <p>With {@code --rounds K}: {@link ContinualRounds} runs K continual rounds of the first arm
 * ({@code --arms}, else eagle_galore) over fresh scenes with a replay buffer, each gated by the
 * default gate ({@link RoundGate}, or {@code --gate FILE} in the evaluator's format), and writes
 * the rounds' {@code metrics.json} and {@code report.html} (every metric per round).
 */
public final class Experiment {

    /**
     * Seeds of the EAGLE training scenes start here (inside the training range, after
     * pre-training's).
     */
    static final long TRAIN_SEED_BASE = 1_000_000_000L;

    public record ArmResult(
            Arm arm, SuiteResult metrics, List<StepLosses> losses, double trainSeconds) {}

    /**
     * The suite, the base's and the arms' results, the classes left out of training (none by
     * default), what the arms fine-tuned on, and each encoder's zero-shot figures over the held-out
     * and the trained classes by encoder name ("base", then the arms'; {@link
     * HeldOutClasses#figures}, empty maps when none are held out).
     */
    public record Result(
            Suite suite,
            SuiteResult base,
            List<ArmResult> arms,
            HeldOutClasses heldOut,
            FineTuningScenes scenes,
            Map<String, Map<String, HeldOutClasses.Fraction>> heldOutFigures) {

        /** The result with its held-out figures computed, once, from the per-item outcomes. */
        public Result(
                Suite suite,
                SuiteResult base,
                List<ArmResult> arms,
                HeldOutClasses heldOut,
                FineTuningScenes scenes) {
            this(suite, base, arms, heldOut, scenes, figures(suite, base, arms, heldOut));
        }

        private static Map<String, Map<String, HeldOutClasses.Fraction>> figures(
                Suite suite, SuiteResult base, List<ArmResult> arms, HeldOutClasses heldOut) {
            int[] labels = suite.zeroShotLabels();
            Map<String, Map<String, HeldOutClasses.Fraction>> byEncoder = new LinkedHashMap<>();
            byEncoder.put("base", heldOut.figures(base, labels));
            arms.forEach(a -> byEncoder.put(a.arm().name(), heldOut.figures(a.metrics(), labels)));
            return byEncoder;
        }
    }

    public static void main(String[] argv) throws Exception {
        ExperimentOptions options;
        try {
            options = ExperimentOptions.parse(argv);
        } catch (IllegalArgumentException e) {
            Args.exitWithUsageError("experiment", e);
            return;
        }
        Path out = options.out();
        long started = System.nanoTime();
        ExperimentOptions.Rounds r = options.rounds();
        if (r != null) {
            ContinualRounds.Result rounds =
                    ContinualRounds.run(
                            options.base(),
                            options.suite(),
                            r.arm(),
                            r.count(),
                            r.roundImages(),
                            r.buffer(),
                            r.gate(),
                            r.anchor(),
                            r.laterLrScale(),
                            options.scenes());
            ContinualRounds.write(
                    rounds, out, String.join(" ", argv), (System.nanoTime() - started) / 1e9);
            System.err.printf(
                    "%nmetrics: %s%nreport:  %s%n",
                    out.resolve("metrics.json"), out.resolve("report.html"));
            return;
        }
        Result result =
                run(
                        options.base(),
                        options.suite(),
                        options.arms(),
                        options.trainImages(),
                        options.scenes(),
                        options.heldOut(),
                        options.mmvp());
        write(result, out, String.join(" ", argv), (System.nanoTime() - started) / 1e9);
        System.err.println();
        System.err.println(Report.summary(result));
        System.err.printf(
                "metrics: %s%nreport:  %s%n",
                out.resolve("metrics.json"), out.resolve("report.html"));
    }

    /** Writes {@code metrics.json} and {@code report.html} into {@code out}. */
    public static ObjectNode write(Result result, Path out, String args, double seconds)
            throws java.io.IOException {
        Files.createDirectories(out);
        ObjectNode metrics = ExperimentMetrics.json(result, args, seconds);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("metrics.json").toFile(), metrics);
        Files.writeString(out.resolve("report.html"), Report.html(result, metrics));
        return metrics;
    }

    /**
     * Runs the base evaluation and every arm (MMVP scored the evaluator's way, by the best patch);
     * the base model is never modified.
     */
    public static Result run(
            EmbeddedBase baseDir, SuiteConfig suiteConfig, List<Arm> arms, int trainImages)
            throws Exception {
        return run(
                baseDir,
                suiteConfig,
                arms,
                trainImages,
                FineTuningScenes.DEFAULT,
                null,
                SuiteRunner.MmvpRepresentation.MAX_PATCH);
    }

    /**
     * {@link #run(EmbeddedBase, SuiteConfig, List, int)} with the training scenes drawn under
     * {@code trainScenes}, the classes {@code heldOut} left out of training (null: none) and MMVP
     * scored by {@code mmvp}.
     */
    public static Result run(
            EmbeddedBase baseDir,
            SuiteConfig suiteConfig,
            List<Arm> arms,
            int trainImages,
            FineTuningScenes trainScenes,
            HeldOutClasses heldOut,
            SuiteRunner.MmvpRepresentation mmvp)
            throws Exception {
        SceneGenerator generator = SceneGenerator.standard(64);
        System.err.println("building the held-out suite ...");
        Suite suite = Suite.build(generator, suiteConfig);
        System.err.println(
                "suite "
                        + suite.id()
                        + ": "
                        + suite.zeroShot().size()
                        + " zero-shot images, "
                        + suite.pope().images().size()
                        + " POPE images, "
                        + suite.mmvp().size()
                        + " MMVP pairs");
        WordTokenizer tokenizer = baseDir.loadTokenizer();
        try (ClipModel base = baseDir.loadModel()) {
            System.err.println("device: " + base.device());
            SuiteResult baseMetrics = evaluate("evaluate base", base, tokenizer, suite, mmvp);

            HeldOutClasses held = heldOut == null ? HeldOutClasses.none(suite.taxonomy()) : heldOut;
            List<TrainingSample> samples =
                    held.trainingSamples(
                            render(
                                    trainScenes.from(generator, TRAIN_SEED_BASE),
                                    base,
                                    trainImages,
                                    "render training"));
            int[][] prompts = tokenizer.encodeBatch(held.trainingPrompts());
            TermPhrases phrases =
                    TermPhrases.of(
                            arms.stream().map(Arm::config).toList(),
                            tokenizer,
                            held.trainingNames());
            if (!held.isEmpty()) {
                System.err.printf(
                        "held out of training: %s (%d training images keep instances)%n",
                        String.join(", ", held.names()), samples.size());
            }

            List<ArmResult> results = new ArrayList<>();
            for (Arm arm : arms) {
                results.add(train(arm, base, tokenizer, prompts, phrases, samples, suite, mmvp));
            }
            return new Result(suite, baseMetrics, results, held, trainScenes);
        }
    }

    /** The first {@code count} scenes, as samples; images without instances are left out. */
    static List<TrainingSample> render(
            LongFunction<Scene> scenes, ClipModel model, int count, String label) {
        ImagePreprocessor preprocessor = new ImagePreprocessor(model.config().vision().imageSize());
        Progress rendering = new Progress(label, count);
        List<TrainingSample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TrainingSample s =
                    TrainingSamples.of(
                            scenes.apply(i), preprocessor, model.config().vision().patchSize());
            if (!s.instances().isEmpty()) {
                samples.add(s);
            }
            rendering.update(i + 1, "");
        }
        return samples;
    }

    static ArmResult train(
            Arm arm,
            ClipModel base,
            WordTokenizer tokenizer,
            int[][] prompts,
            TermPhrases phrases,
            List<TrainingSample> samples,
            Suite suite,
            SuiteRunner.MmvpRepresentation mmvp) {
        TrainingConfig config = arm.config();
        try (ClipModel model = base.copy();
                ClipModel frozen = config.retentionLambda() > 0 ? base.copy() : null;
                EagleTrainer trainer = new EagleTrainer(model, frozen, config, prompts, phrases)) {
            ClassBalancedSampler sampler = new ClassBalancedSampler(config.seed());
            samples.forEach(sampler::add);
            List<StepLosses> losses = new ArrayList<>();
            Progress progress = new Progress("train " + arm.name(), config.totalSteps());
            long t0 = System.nanoTime();
            for (int step = 0; step < config.totalSteps(); step++) {
                StepLosses l = trainer.step(sampler.nextBatch(config.batchImages()));
                losses.add(l);
                double rate = (step + 1) * config.batchImages() / ((System.nanoTime() - t0) / 1e9);
                progress.update(
                        step + 1,
                        String.format(
                                "L %.3f (ins %.3f ce %.3f) %.0f img/s",
                                l.total(), l.ins(), l.ce(), rate));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            SuiteResult metrics = evaluate("evaluate " + arm.name(), model, tokenizer, suite, mmvp);
            return new ArmResult(arm, metrics, losses, seconds);
        }
    }

    /** The suite's result for a model, MMVP scored the evaluator's way (the best patch). */
    static SuiteResult evaluate(
            String label, ClipModel model, WordTokenizer tokenizer, Suite suite) {
        return evaluate(label, model, tokenizer, suite, SuiteRunner.MmvpRepresentation.MAX_PATCH);
    }

    static SuiteResult evaluate(
            String label,
            ClipModel model,
            WordTokenizer tokenizer,
            Suite suite,
            SuiteRunner.MmvpRepresentation mmvp) {
        Progress progress = new Progress(label, 1);
        progress.update(0, "");
        SuiteRunner.Options options =
                new SuiteRunner.Options(
                        SuiteRunner.Options.defaults().batchSize(),
                        mmvp,
                        SuiteRunner.Options.defaults().bootstrap());
        try (ClipSuiteEncoder encoder = new ClipSuiteEncoder(model, tokenizer)) {
            SuiteResult result = SuiteRunner.run(encoder, suite, options);
            progress.update(
                    1,
                    String.format(
                            "CLS %.3f Seq %.3f adv-FPR %.3f",
                            result.zeroshotCls(),
                            result.zeroshotSeq(),
                            result.metrics().get("pope.adversarial.fpr")));
            return result;
        }
    }
}
