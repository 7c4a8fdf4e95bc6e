package eagle.scenes.experiment;

import eagle.core.optim.MomentPolicy;
import eagle.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * One arm of the experiment: a name and the training config it runs, parsed from
 * {@code name:key=value,key=value} (keys: optimizer, lr, rank, gap, tau, lambda, moments, batch, steps,
 * text).
 */
public record Arm(String name, TrainingConfig config) {

    /** The two arms: GaLore and full fine-tuning, same data, steps and learning rate. */
    public static List<Arm> standard(TrainingConfig base) {
        return List.of(new Arm("eagle_galore", base.withOptimizer(TrainingConfig.GALORE)),
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
                        throw new IllegalArgumentException("expected key=value in arm '" + head[0] + "', got '" + kv + "'");
                    }
                    c = with(c, p[0].trim(), p[1].trim(), head[0]);
                }
            }
            arms.add(new Arm(head[0].trim(), c));
        }
        return arms;
    }

    private static boolean parseBoolean(String value, String arm) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("text must be true or false in arm '" + arm + "', got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
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
                case "text" -> c.withTrainText(parseBoolean(value, arm));
                default -> throw new IllegalArgumentException("unknown key '" + key + "' in arm '" + arm
                        + "' (known: optimizer, lr, rank, gap, tau, lambda, moments, batch, steps, text)");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number '" + value + "' for " + key + " in arm '" + arm + "'");
        }
    }
}
