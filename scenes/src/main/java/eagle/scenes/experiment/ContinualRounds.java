package eagle.scenes.experiment;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.model.ClipModel;
import eagle.core.text.WordTokenizer;
import eagle.core.train.ClassBalancedSampler;
import eagle.core.train.EagleTrainer;
import eagle.core.train.StepLosses;
import eagle.core.train.TrainingConfig;
import eagle.core.train.TrainingSample;
import eagle.scenes.SceneGenerator;
import eagle.scenes.suite.Suite;
import eagle.scenes.suite.SuiteConfig;
import eagle.scenes.suite.SuiteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * K successive rounds of continual EAGLE training the way the trainer service runs them
 * (docs/METHOD.md §4, §7), on the embedded world:
 *
 * <pre>
 *   production ← base; buffer ← ∅
 *   for round r = 1 … K:
 *     fresh  ← the next {@code imagesPerRound} training scenes (seeds never used by an earlier round),
 *              drawn as {@code scenes} says (the counted fraction among them)
 *     model  ← copy of production; train {@code arm}'s steps on buffer ∪ fresh (sampler seed = seed + r)
 *     verdict ← gate(model's suite metrics, baseline = production's, base = the base's)
 *     blessed: production ← model
 *     buffer.offer(fresh)
 * </pre>
 *
 * The base counts as the production encoder before the first blessing (the platform registers it as
 * the first version), so round 1 is gated against it as baseline too. The retention terms (λ, λ_t),
 * when on, anchor at the round's parent ({@link Anchor#PARENT}, what the trainer service does) or
 * at the original base in every round ({@link Anchor#BASE}). The suite, and so every metric, is the
 * same held-out one in every round.
 */
public final class ContinualRounds {

    /** Which encoder the retention terms pull towards (docs/METHOD.md §3). */
    public enum Anchor {
        /** the production encoder the round started from, as the trainer service does */
        PARENT,
        /** the original base in every round */
        BASE;

        public static Anchor parse(String value) {
            return switch (value) {
                case "parent" -> PARENT;
                case "base" -> BASE;
                default ->
                        throw new IllegalArgumentException(
                                "--anchor must be parent or base, got '" + value + "'");
            };
        }
    }

    /**
     * One round.
     *
     * @param parent {@code base} or {@code round N}: the production encoder the round started from
     * @param startWeights SHA-256 (16 hex) of the starting weights; equals the parent's {@code
     *     endWeights}
     * @param endWeights SHA-256 (16 hex) of the trained candidate's weights
     * @param production production's metrics after the round (the candidate's when blessed)
     */
    public record Round(
            int round,
            String parent,
            String startWeights,
            String endWeights,
            SuiteResult candidate,
            RoundGate.Verdict verdict,
            SuiteResult production,
            List<StepLosses> losses,
            double trainSeconds,
            int freshImages,
            int replayedImages) {}

    public record Result(
            Suite suite,
            SuiteResult base,
            String baseWeights,
            Arm arm,
            RoundGate gate,
            int imagesPerRound,
            int bufferCapacity,
            Anchor anchor,
            double laterLrScale,
            FineTuningScenes scenes,
            List<Round> rounds) {}

    private ContinualRounds() {}

    /**
     * Runs the rounds; the base on disk is never modified.
     *
     * @param bufferCapacity K of the replay buffer (the trainer's default is 256)
     * @param laterLrScale a round whose parent is an earlier round's candidate (not the base)
     *     trains at the arm's rate times this (1: the same), as the trainer's {@code
     *     round.later-lr-scale}
     * @param scenes what each round's fresh images are ({@link FineTuningScenes})
     */
    public static Result run(
            EmbeddedBase baseDir,
            SuiteConfig suiteConfig,
            Arm arm,
            int rounds,
            int imagesPerRound,
            int bufferCapacity,
            RoundGate gate,
            Anchor anchor,
            double laterLrScale,
            FineTuningScenes scenes)
            throws Exception {
        if (!(laterLrScale > 0)) {
            throw new IllegalArgumentException("--later-lr-scale must be > 0, got " + laterLrScale);
        }
        if (rounds < 1 || imagesPerRound < 1) {
            throw new IllegalArgumentException(
                    "need at least one round of at least one image, got "
                            + rounds
                            + " rounds of "
                            + imagesPerRound);
        }
        SceneGenerator generator = SceneGenerator.standard(64);
        System.err.println("building the held-out suite ...");
        Suite suite = Suite.build(generator, suiteConfig);
        WordTokenizer tokenizer = baseDir.loadTokenizer();
        TrainingConfig config = arm.config();
        List<Round> out = new ArrayList<>();
        try (ClipModel base = baseDir.loadModel()) {
            SuiteResult baseMetrics = Experiment.evaluate("evaluate base", base, tokenizer, suite);
            String baseWeights = fingerprint(base);
            ReplayPool buffer = new ReplayPool(bufferCapacity, config.seed());
            ClipModel production = base.copy();
            SuiteResult productionMetrics = baseMetrics;
            String parent = "base";
            boolean anchored = config.retentionLambda() > 0 || config.textRetentionLambda() > 0;
            try {
                for (int r = 1; r <= rounds; r++) {
                    List<TrainingSample> fresh =
                            Experiment.render(
                                    scenes.from(
                                            generator,
                                            Experiment.TRAIN_SEED_BASE
                                                    + (long) (r - 1) * imagesPerRound),
                                    base,
                                    imagesPerRound,
                                    "round " + r + " render");
                    List<TrainingSample> replayed = buffer.samples();
                    ClipModel model = production.copy();
                    boolean keep = false;
                    ClipModel anchorModel = anchor == Anchor.BASE ? base : production;
                    try (ClipModel frozen = anchored ? anchorModel.copy() : null;
                            EagleTrainer trainer =
                                    new EagleTrainer(
                                            model,
                                            frozen,
                                            parent.equals("base")
                                                    ? config
                                                    : config.withLr(config.lr() * laterLrScale),
                                            tokenizer,
                                            suite.taxonomy().names())) {
                        String startWeights = fingerprint(model);
                        ClassBalancedSampler sampler = new ClassBalancedSampler(config.seed() + r);
                        replayed.forEach(sampler::add);
                        fresh.forEach(sampler::add);
                        Progress progress =
                                new Progress("round " + r + " train", config.totalSteps());
                        List<StepLosses> losses = new ArrayList<>();
                        long t0 = System.nanoTime();
                        for (int step = 0; step < config.totalSteps(); step++) {
                            StepLosses l = trainer.step(sampler.nextBatch(config.batchImages()));
                            losses.add(l);
                            progress.update(step + 1, String.format("L %.3f", l.total()));
                        }
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        SuiteResult candidate =
                                Experiment.evaluate(
                                        "round " + r + " evaluate", model, tokenizer, suite);
                        RoundGate.Verdict verdict =
                                gate.evaluate(candidate, productionMetrics, baseMetrics);
                        String endWeights = fingerprint(model);
                        if (verdict.blessed()) {
                            production.close();
                            production = model;
                            productionMetrics = candidate;
                            keep = true;
                        }
                        out.add(
                                new Round(
                                        r,
                                        parent,
                                        startWeights,
                                        endWeights,
                                        candidate,
                                        verdict,
                                        productionMetrics,
                                        losses,
                                        seconds,
                                        fresh.size(),
                                        replayed.size()));
                        System.err.printf(
                                "round %d: %s (%s)%n",
                                r,
                                verdict.blessed() ? "blessed" : "rejected",
                                verdict.blessed()
                                        ? "every check passed"
                                        : String.join("; ", verdict.failures()));
                        if (keep) {
                            parent = "round " + r;
                        }
                    } finally {
                        if (!keep) {
                            model.close();
                        }
                    }
                    fresh.forEach(buffer::offer);
                }
            } finally {
                production.close();
            }
            return new Result(
                    suite,
                    baseMetrics,
                    baseWeights,
                    arm,
                    gate,
                    imagesPerRound,
                    bufferCapacity,
                    anchor,
                    laterLrScale,
                    scenes,
                    out);
        }
    }

    /** SHA-256 over every parameter's float32 values in state-dict order, first 16 hex digits. */
    static String fingerprint(ClipModel model) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (var e : model.parameters().entrySet()) {
                digest.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                NDArray a = e.getValue();
                float[] values = a.toFloatArray();
                ByteBuffer bytes =
                        ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(values);
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code metrics.json} and {@code report.html} of the rounds into {@code out}. */
    public static ObjectNode write(Result result, Path out, String args, double seconds)
            throws IOException {
        Files.createDirectories(out);
        ObjectNode json = toJson(result, args, seconds);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("metrics.json").toFile(), json);
        Files.writeString(out.resolve("report.html"), RoundsReport.html(result, json));
        return json;
    }

    /**
     * {@code suite_id}, {@code base} (metrics and weights), {@code arm} (name and training config),
     * {@code gate}, {@code retention_anchor} (parent or base), {@code later_lr_scale}, {@code
     * rounds}: [{round, parent, start_weights, end_weights, blessed, failures, candidate,
     * production, training}], {@code run}.
     */
    static ObjectNode toJson(Result result, String args, double seconds) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("suite_id", result.suite().id());
        ObjectNode base = root.putObject("base");
        base.put("weights", result.baseWeights());
        base.set("metrics", MetricsJson.withoutSuiteId(result.base()));
        ObjectNode arm = root.putObject("arm");
        arm.put("name", result.arm().name());
        arm.set("config", json.valueToTree(result.arm().config()));
        ObjectNode gate = root.putObject("gate");
        gate.put("source", result.gate().source());
        gate.set("thresholds", json.valueToTree(result.gate().thresholds()));
        root.put("images_per_round", result.imagesPerRound());
        root.put("buffer_capacity", result.bufferCapacity());
        root.put("retention_anchor", result.anchor().name().toLowerCase(Locale.ROOT));
        root.put("later_lr_scale", result.laterLrScale());
        root.put("train_counted", result.scenes().counted());
        ArrayNode rounds = root.putArray("rounds");
        for (Round r : result.rounds()) {
            ObjectNode n = rounds.addObject();
            n.put("round", r.round());
            n.put("parent", r.parent());
            n.put("start_weights", r.startWeights());
            n.put("end_weights", r.endWeights());
            n.put("blessed", r.verdict().blessed());
            n.set("failures", json.valueToTree(r.verdict().failures()));
            n.set("passes", json.valueToTree(r.verdict().passes()));
            n.set("candidate", MetricsJson.withoutSuiteId(r.candidate()));
            n.set("production", json.valueToTree(r.production().metrics()));
            ObjectNode training = n.putObject("training");
            training.put("seconds", r.trainSeconds());
            training.put("fresh_images", r.freshImages());
            training.put("replayed_images", r.replayedImages());
            training.put("final_loss", r.losses().get(r.losses().size() - 1).total());
        }
        MetricsJson.putRun(root, args, seconds);
        return root;
    }
}
