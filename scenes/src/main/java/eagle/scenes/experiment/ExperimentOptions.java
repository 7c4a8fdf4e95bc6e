package eagle.scenes.experiment;

import eagle.core.train.TrainingConfig;
import eagle.scenes.SceneConfig;
import eagle.scenes.SceneGenerator;
import eagle.scenes.suite.SuiteConfig;
import eagle.scenes.suite.SuiteRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./eagle experiment}'s options, every one read and checked before any work starts, so a bad
 * option (a typo, a number that is not one, a gate file that cannot be read, a base folder without
 * a model) is the one-line usage error (exit status 2), never a stack trace.
 *
 * @param out where metrics.json and report.html go
 * @param base the base encoder ({@code --base}, else the embedded one)
 * @param suite the held-out suite's size
 * @param arms the single run's arms ({@code --arms}, else eagle_galore and eagle_full)
 * @param trainImages {@code --train-images}
 * @param scenes what the arms fine-tune on ({@code --train-objects}, {@code --train-counted})
 * @param heldOut classes left out of training (null: none)
 * @param mmvp how MMVP statements are scored
 * @param rounds the continual rounds, null for the single run
 */
public record ExperimentOptions(
        Path out,
        EmbeddedBase base,
        SuiteConfig suite,
        List<Arm> arms,
        int trainImages,
        FineTuningScenes scenes,
        HeldOutClasses heldOut,
        SuiteRunner.MmvpRepresentation mmvp,
        Rounds rounds) {

    /**
     * {@code --rounds K} and the options that only rounds read.
     *
     * @param arm the arm every round trains (the first of {@code --arms}, else eagle_galore)
     */
    public record Rounds(
            Arm arm,
            int count,
            int roundImages,
            int buffer,
            RoundGate gate,
            ContinualRounds.Anchor anchor,
            double laterLrScale) {}

    private static final Set<String> KNOWN =
            Set.of(
                    "out",
                    "steps",
                    "batch",
                    "lr",
                    "rank",
                    "tau",
                    "lambda",
                    "train-images",
                    "train-objects",
                    "train-counted",
                    "held-out-classes",
                    "suite",
                    "arms",
                    "base",
                    "seed",
                    "rounds",
                    "round-images",
                    "buffer",
                    "gate",
                    "anchor",
                    "later-lr-scale",
                    "mmvp");

    /**
     * @throws IllegalArgumentException naming the bad option
     */
    public static ExperimentOptions parse(String[] argv) {
        Args args = Args.parse(argv, KNOWN);
        if (!args.has("out")) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        boolean continual = args.has("rounds");
        if (args.has("mmvp") && continual) {
            throw new IllegalArgumentException(
                    "--mmvp does not go with --rounds: rounds are gated on MMVP as the"
                            + " evaluator scores it (max-patch)");
        }
        if (args.has("held-out-classes") && continual) {
            throw new IllegalArgumentException(
                    "--held-out-classes applies to the single run, not to --rounds");
        }
        TrainingConfig recipe =
                TrainingConfig.recipe(
                        args.getInt("steps", TrainingConfig.DEFAULT_EXPERIMENT_STEPS));
        TrainingConfig training =
                recipe.withBatchImages(args.getInt("batch", 16))
                        .withLr(args.getDouble("lr", recipe.lr()))
                        .withGaloreRank(args.getInt("rank", recipe.galoreRank()))
                        .withTau((float) args.getDouble("tau", recipe.tau()))
                        .withRetentionLambda(
                                (float) args.getDouble("lambda", recipe.retentionLambda()))
                        .withSeed(args.getInt("seed", 42));
        List<Arm> arms =
                args.has("arms")
                        ? Arm.parse(args.get("arms", ""), training)
                        : Arm.standard(training);
        return new ExperimentOptions(
                Path.of(args.get("out", ".")),
                base(args),
                SuiteConfig.named(args.get("suite", "standard")),
                arms,
                positive(args, "train-images", 4000),
                new FineTuningScenes(
                        trainObjects(args.get("train-objects", null)),
                        args.getDouble("train-counted", FineTuningScenes.DEFAULT_COUNTED)),
                args.has("held-out-classes")
                        ? HeldOutClasses.parse(
                                args.get("held-out-classes", ""),
                                SceneGenerator.standard(64).taxonomy())
                        : null,
                mmvpRepresentation(args.get("mmvp", "max-patch")),
                continual
                        ? new Rounds(
                                args.has("arms") ? arms.get(0) : new Arm("eagle_galore", training),
                                positive(args, "rounds", 5),
                                positive(args, "round-images", 1000),
                                positive(args, "buffer", 256),
                                gate(args),
                                ContinualRounds.Anchor.parse(args.get("anchor", "parent")),
                                args.getDouble(
                                        "later-lr-scale",
                                        Double.parseDouble(TrainingConfig.DEFAULT_LATER_LR_SCALE)))
                        : null);
    }

    private static int positive(Args args, String name, int fallback) {
        int value = args.getInt(name, fallback);
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, got " + value);
        }
        return value;
    }

    private static EmbeddedBase base(Args args) {
        return args.has("base")
                ? EmbeddedBase.given("base", Path.of(args.get("base", "")))
                : EmbeddedBase.standard();
    }

    private static RoundGate gate(Args args) {
        if (!args.has("gate")) {
            return RoundGate.defaults();
        }
        Path file = Path.of(args.get("gate", ""));
        try {
            return RoundGate.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--gate " + file + ": cannot read it (" + e + ")");
        }
    }

    /**
     * {@code --train-objects MIN..MAX}: the training scenes' object count (the suite's scenes keep
     * the default, 1..6); null when not given.
     */
    static SceneConfig trainObjects(String spec) {
        if (spec == null) {
            return null;
        }
        String[] parts = spec.split("\\.\\.", -1);
        try {
            if (parts.length == 2) {
                return SceneConfig.ofSize(64)
                        .withObjects(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(
                "--train-objects must be MIN..MAX with 1 <= MIN <= MAX, got '" + spec + "'");
    }

    /** The representation named by {@code --mmvp}: max-patch, mean-patch or cls. */
    static SuiteRunner.MmvpRepresentation mmvpRepresentation(String name) {
        for (SuiteRunner.MmvpRepresentation r : SuiteRunner.MmvpRepresentation.values()) {
            if (r.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException(
                "--mmvp must be max-patch, mean-patch or cls, got '" + name + "'");
    }
}
