package eagle.scenes.experiment;

import eagle.core.method.LossWeighting;
import eagle.core.optim.MomentPolicy;
import eagle.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * One arm of the experiment: a name and the training config it runs, parsed from {@code
 * name:key=value,key=value}. Keys ({@link #KEYS}):
 *
 * <ul>
 *   <li>{@code optimizer} galore|adamw, {@code lr}, {@code steps}, {@code batch}, {@code wd}
 *       (weight decay), {@code seed} (the sampler's);
 *   <li>GaLore: {@code rank} r, {@code gap} T, {@code scale} α, {@code moments}
 *       keep|reset|reproject;
 *   <li>method: {@code tau} τ, {@code lambda} λ (CLS retention), {@code text-lambda} λ_t (prompt
 *       retention);
 *   <li>text tower: {@code text} true|false ({@code frozen} = false), {@code text-lr} its rate
 *       multiplier;
 *   <li>{@code blocks}: which block matrices train (and GaLore touches): {@code all}, {@code attn},
 *       {@code mlp}, {@code vision} (the vision tower's only), or a regular expression found in the
 *       matrix's name such as {@code resblocks\.(2|3)\.} (no {@code ,} or {@code ;} inside);
 *   <li>{@code weighting} instance|class: how L_ins's i2t and L_ce average over instances;
 *   <li>{@code patch} λ_p: the patch presence term's weight (0: off);
 *   <li>{@code image} λ_i: the image presence term's weight (0: off).
 * </ul>
 *
 * (docs/METHOD.md §3–§5)
 */
public record Arm(String name, TrainingConfig config) {

    /** The two arms: GaLore and full fine-tuning, same data, steps and learning rate. */
    public static List<Arm> standard(TrainingConfig base) {
        return List.of(
                new Arm("eagle_galore", base.withOptimizer(TrainingConfig.GALORE)),
                new Arm("eagle_full", base.withOptimizer(TrainingConfig.ADAMW)));
    }

    /**
     * Parses {@code ;}-separated arm specs on top of {@code base}.
     *
     * @throws IllegalArgumentException naming the malformed part
     */
    public static List<Arm> parse(String specs, TrainingConfig base) {
        List<Arm> arms = new ArrayList<>();
        for (String spec : specs.split(";")) {
            String[] head = spec.trim().split(":", 2);
            if (head[0].isBlank()) {
                throw new IllegalArgumentException("arm without a name in '" + spec + "'");
            }
            TrainingConfig c = base;
            if (head.length == 2 && !head[1].isBlank()) {
                for (String kv : head[1].split(",")) {
                    String[] p = kv.split("=", 2);
                    if (p.length != 2) {
                        throw new IllegalArgumentException(
                                "expected key=value in arm '" + head[0] + "', got '" + kv + "'");
                    }
                    c = with(c, p[0].trim(), p[1].trim(), head[0]);
                }
            }
            arms.add(new Arm(head[0].trim(), c));
        }
        return arms;
    }

    /** Every key an arm spec understands, in the order the usage lists them. */
    public static final List<String> KEYS =
            List.of(
                    "optimizer",
                    "lr",
                    "steps",
                    "batch",
                    "wd",
                    "seed",
                    "rank",
                    "gap",
                    "scale",
                    "moments",
                    "tau",
                    "lambda",
                    "text-lambda",
                    "text",
                    "text-lr",
                    "text-optimizer",
                    "blocks",
                    "weighting",
                    "patch",
                    "image",
                    "count",
                    "place");

    private static boolean parseText(String value, String arm) {
        return switch (value) {
            case "true" -> true;
            case "false", "frozen" -> false;
            default ->
                    throw new IllegalArgumentException(
                            "text must be true, false or frozen in arm '"
                                    + arm
                                    + "', got '"
                                    + value
                                    + "'");
        };
    }

    private static LossWeighting parseWeighting(String value, String arm) {
        return switch (value) {
            case "instance" -> LossWeighting.INSTANCE;
            case "class" -> LossWeighting.CLASS;
            default ->
                    throw new IllegalArgumentException(
                            "weighting must be instance or class in arm '"
                                    + arm
                                    + "', got '"
                                    + value
                                    + "'");
        };
    }

    /**
     * The {@code blocks} value as {@link TrainingConfig#trainableBlocks()}'s regular expression.
     */
    static String blocksPattern(String value) {
        return switch (value) {
            case "all", "" -> "";
            case "attn" -> "\\.attn\\.";
            case "mlp" -> "\\.mlp\\.";
            case "vision" -> "^visual\\.";
            default -> value;
        };
    }

    private static TrainingConfig with(TrainingConfig c, String key, String value, String arm) {
        try {
            return switch (key) {
                case "optimizer" -> c.withOptimizer(value);
                case "lr" -> c.withLr(Double.parseDouble(value));
                case "rank" -> c.withGaloreRank(Integer.parseInt(value));
                case "gap" -> c.withUpdateGap(Integer.parseInt(value));
                case "tau" -> c.withTau(Float.parseFloat(value));
                case "lambda" -> c.withRetentionLambda(Float.parseFloat(value));
                case "moments" -> c.withMomentPolicy(MomentPolicy.valueOf(value.toUpperCase()));
                case "batch" -> c.withBatchImages(Integer.parseInt(value));
                case "steps" -> c.withTotalSteps(Integer.parseInt(value));
                case "text" -> c.withTrainText(parseText(value, arm));
                case "text-lr" -> c.withTextLrMultiplier(Double.parseDouble(value));
                case "text-optimizer" -> c.withTextOptimizer(value);
                case "text-lambda" -> c.withTextRetentionLambda(Float.parseFloat(value));
                case "scale" -> c.withGaloreScale(Double.parseDouble(value));
                case "blocks" -> c.withTrainableBlocks(blocksPattern(value));
                case "wd" -> c.withWeightDecay(Double.parseDouble(value));
                case "seed" -> c.withSeed(Long.parseLong(value));
                case "weighting" -> c.withLossWeighting(parseWeighting(value, arm));
                case "patch" -> c.withPatchLambda(Float.parseFloat(value));
                case "image" -> c.withImageLambda(Float.parseFloat(value));
                case "count" -> c.withCountLambda(Float.parseFloat(value));
                case "place" -> c.withPlaceLambda(Float.parseFloat(value));
                default ->
                        throw new IllegalArgumentException(
                                "unknown key '"
                                        + key
                                        + "' in arm '"
                                        + arm
                                        + "' (known: "
                                        + String.join(", ", KEYS)
                                        + ")");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "bad number '" + value + "' for " + key + " in arm '" + arm + "'");
        }
    }
}
