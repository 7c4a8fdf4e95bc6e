package eagle.scenes.experiment;

import static eagle.scenes.experiment.Svg.fmt;

import eagle.core.eval.Bootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The goals for the experiment's eagle_galore arm against the base (docs/BENCHMARKS.md).
 */
final class Goals {

    private Goals() {}

    /** One goal, checked for one arm against the base. */
    record Goal(String text, boolean met, String measured) {}

    /** Rounding slack of the comparisons, so that a value exactly on a goal's bound meets it. */
    private static final double EPS = 1e-9;

    /**
     * Issue 18's goals for one arm against the base: Seq ≥ +0.10 (stretch +0.20), CLS ≥ −0.01, POPE
     * adversarial FPR ≤ −25% relative with F1 not lower, random and popular FPR ≤ −40% relative,
     * MMVP-style pair accuracy up on at least four of the six kinds, and GaLore's CLS at least full
     * fine-tuning's (when {@code full} is given).
     */
    static List<Goal> of(
            Map<String, Double> base, Map<String, Double> arm, Map<String, Double> full) {
        return of(base, arm, full, null);
    }

    /**
     * The goals, the last one also giving {@code clsVsFull}, the 95% interval of the paired
     * per-image CLS difference between the arm and full fine-tuning, when known.
     */
    static List<Goal> of(
            Map<String, Double> base,
            Map<String, Double> arm,
            Map<String, Double> full,
            Bootstrap.Interval clsVsFull) {
        List<Goal> goals = new ArrayList<>();
        double seq = arm.get("zeroshot_seq") - base.get("zeroshot_seq");
        goals.add(
                new Goal(
                        "Seq zero-shot up by at least 0.10 (stretch 0.20)",
                        seq >= 0.10 - EPS,
                        fmt("%+.3f", seq)));
        double cls = arm.get("zeroshot_cls") - base.get("zeroshot_cls");
        goals.add(
                new Goal(
                        "CLS zero-shot down by at most 0.01",
                        cls >= -0.01 - EPS,
                        fmt("%+.3f", cls)));
        double adv = relative(base, arm, "pope.adversarial.fpr");
        double f1 = arm.get("pope.adversarial.f1") - base.get("pope.adversarial.f1");
        goals.add(
                new Goal(
                        "POPE adversarial FPR down by at least 25% relative, F1 not lower",
                        adv <= -0.25 + EPS && f1 >= -EPS, fmt("%+.1f%%, F1 %+.3f", 100 * adv, f1)));
        for (String split : List.of("random", "popular")) {
            double rel = relative(base, arm, "pope." + split + ".fpr");
            goals.add(
                    new Goal(
                            "POPE " + split + " FPR down by at least 40% relative",
                            rel <= -0.40 + EPS,
                            fmt("%+.1f%%", 100 * rel)));
        }
        int up = 0;
        int kinds = 0;
        StringBuilder byKind = new StringBuilder();
        for (Map.Entry<String, Double> e : base.entrySet()) {
            if (e.getKey().startsWith(ExperimentMetrics.KIND_PREFIX)
                    && arm.containsKey(e.getKey())) {
                double d = arm.get(e.getKey()) - e.getValue();
                kinds++;
                up += d > 0 ? 1 : 0;
                byKind.append(byKind.length() == 0 ? "" : ", ")
                        .append(e.getKey().substring(ExperimentMetrics.KIND_PREFIX.length()))
                        .append(' ')
                        .append(fmt("%+.3f", d));
            }
        }
        double mmvp = arm.get("mmvp.pair_accuracy") - base.get("mmvp.pair_accuracy");
        goals.add(
                new Goal(
                        "MMVP-style pair accuracy up on at least four of the six kinds",
                        up >= 4,
                        fmt("%d of %d up (%s); overall %+.3f", up, kinds, byKind, mmvp)));
        if (full != null) {
            double keep = arm.get("zeroshot_cls") - full.get("zeroshot_cls");
            goals.add(
                    new Goal(
                            "GaLore's CLS at least full fine-tuning's",
                            keep >= -EPS,
                            fmt("%+.3f", keep) + (clsVsFull == null ? "" : paired(clsVsFull))));
        }
        return goals;
    }

    /**
     * The goals for eagle_galore in {@code result}, the comparison with full fine-tuning with the
     * 95% interval of the paired per-image CLS difference, which says whether the suite can tell
     * the two arms apart at all.
     */
    static List<Goal> of(Experiment.Result result) {
        Map<String, Map<String, Double>> table = ExperimentMetrics.table(result);
        boolean[] galore = clsOutcomes(result, "eagle_galore");
        boolean[] full = clsOutcomes(result, "eagle_full");
        Bootstrap.Interval clsVsFull =
                galore != null && full != null && galore.length == full.length
                        ? Bootstrap.pairedDifferenceCi(galore, full, Bootstrap.Options.defaults())
                        : null;
        List<Goal> goals =
                of(
                        table.get("base"),
                        table.get("eagle_galore"),
                        table.get("eagle_full"),
                        clsVsFull);
        goals.addAll(heldOut(result, table, galore, full));
        return goals;
    }

    /**
     * With classes held out of training, the zero-shot skill on them: eagle_galore's CLS over the
     * held-out classes' items down by at most 0.01 against the base, and at least full
     * fine-tuning's (with the paired interval over those items). Empty when none are held out or
     * the suite has no item of theirs.
     */
    private static List<Goal> heldOut(
            Experiment.Result result,
            Map<String, Map<String, Double>> table,
            boolean[] galore,
            boolean[] full) {
        HeldOutClasses held = result.heldOut();
        int[] labels = result.suite().zeroShotLabels();
        String key = HeldOutClasses.HELD_OUT + ".zeroshot_cls";
        List<Goal> goals = new ArrayList<>();
        Double base = table.get("base").get(key);
        if (held.isEmpty() || base == null || galore == null) {
            return goals;
        }
        double arm = table.get("eagle_galore").get(key);
        goals.add(
                new Goal(
                        "CLS zero-shot on the held-out classes down by at most 0.01",
                        arm - base >= -0.01 - EPS,
                        fmt("%+.3f", arm - base)));
        if (full != null) {
            double keep = arm - table.get("eagle_full").get(key);
            Bootstrap.Interval ci =
                    Bootstrap.pairedDifferenceCi(
                            held.select(galore, labels, true),
                            held.select(full, labels, true),
                            Bootstrap.Options.defaults());
            goals.add(
                    new Goal(
                            "GaLore's CLS on the held-out classes at least full fine-tuning's",
                            keep >= -EPS,
                            fmt("%+.3f", keep) + paired(ci)));
        }
        return goals;
    }

    /** " (paired 95% interval [lo, hi])", saying so when the interval holds 0. */
    private static String paired(Bootstrap.Interval ci) {
        return fmt(
                " (paired 95%% interval [%+.3f, %+.3f]%s)",
                ci.lower(),
                ci.upper(),
                ci.contains(0) ? ": the suite does not tell them apart" : "");
    }

    private static boolean[] clsOutcomes(Experiment.Result result, String arm) {
        return result.arms().stream()
                .filter(a -> a.arm().name().equals(arm))
                .findFirst()
                .map(a -> a.metrics().outcomesOf("zeroshot_cls"))
                .orElse(null);
    }

    private static double relative(
            Map<String, Double> base, Map<String, Double> arm, String metric) {
        double b = base.get(metric);
        return b == 0 ? Double.NaN : (arm.get(metric) - b) / b;
    }
}
