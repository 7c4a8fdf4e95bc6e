package eagle.scenes.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.train.StepLosses;
import eagle.scenes.suite.MmvpKind;
import eagle.scenes.suite.SuiteResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the experiment reports of a run: {@code metrics.json} ({@link #json}) and the table of every
 * encoder's metrics by name that the summary, the report and the goals read ({@link #table}).
 */
final class ExperimentMetrics {

    private ExperimentMetrics() {}

    /** {@code metrics.json}: the suite, the base's and every arm's metrics, the goals, the run. */
    static ObjectNode json(Experiment.Result result, String args, double seconds) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("suite_id", result.suite().id());
        root.put("train_counted", result.scenes().counted());
        if (!result.heldOut().isEmpty()) {
            var names = root.putArray("held_out_classes");
            result.heldOut().names().forEach(names::add);
        }
        root.set("base", withHeldOut(result, "base", result.base()));
        for (Experiment.ArmResult arm : result.arms()) {
            ObjectNode node = withHeldOut(result, arm.arm().name(), arm.metrics());
            ObjectNode training = node.putObject("training");
            training.set("config", json.valueToTree(arm.arm().config()));
            training.put("seconds", arm.trainSeconds());
            training.put(
                    "images_per_second",
                    arm.arm().config().totalSteps()
                            * (double) arm.arm().config().batchImages()
                            / arm.trainSeconds());
            StepLosses last = arm.losses().get(arm.losses().size() - 1);
            training.put("final_loss", last.total());
            root.set(arm.arm().name(), node);
        }
        if (result.arms().stream().anyMatch(a -> a.arm().name().equals("eagle_galore"))) {
            var goals =
                    root.putArray("goals"); // issue 18's goals for eagle_galore against the base
            for (Goals.Goal g : Goals.of(result)) {
                goals.addObject()
                        .put("goal", g.text())
                        .put("met", g.met())
                        .put("measured", g.measured());
            }
        }
        MetricsJson.putRun(root, args, seconds);
        return root;
    }

    /**
     * An encoder's metrics; with classes held out, also its zero-shot figures over their items
     * ({@code held_out}) and over the trained classes' ({@code trained}), each with its interval.
     */
    private static ObjectNode withHeldOut(Experiment.Result result, String who, SuiteResult r) {
        ObjectNode node = MetricsJson.withoutSuiteId(r);
        result.heldOutFigures()
                .get(who)
                .forEach(
                        (key, f) -> {
                            String[] parts = key.split("\\.", 2); // held_out, zeroshot_cls
                            ObjectNode group = node.withObjectProperty(parts[0]);
                            group.put("items", f.items());
                            group.put(parts[1], f.value());
                            group.withObjectProperty("ci")
                                    .putObject(parts[1])
                                    .put("lower", f.ci().lower())
                                    .put("upper", f.ci().upper());
                        });
        return node;
    }

    /**
     * Gated metrics of base and arms, plus the MMVP-style accuracy of each kind as {@code
     * mmvp.by_kind.<kind>} and, with classes held out, {@code held_out.zeroshot_cls} and the like
     * ({@link HeldOutClasses#figures}), for the summary and the report.
     */
    static Map<String, Map<String, Double>> table(Experiment.Result result) {
        Map<String, Map<String, Double>> t = new LinkedHashMap<>();
        t.put("base", withKinds(result, "base", result.base()));
        result.arms()
                .forEach(
                        a -> t.put(a.arm().name(), withKinds(result, a.arm().name(), a.metrics())));
        return t;
    }

    private static Map<String, Double> withKinds(
            Experiment.Result result, String who, SuiteResult r) {
        Map<String, Double> m = new LinkedHashMap<>(r.metrics());
        result.heldOutFigures().get(who).forEach((key, f) -> m.put(key, f.value()));
        for (MmvpKind kind : MmvpKind.values()) {
            if (r.mmvpByKind().containsKey(kind)) {
                m.put(KIND_PREFIX + kind.key(), r.mmvpByKind().get(kind));
            }
        }
        return m;
    }

    static final String KIND_PREFIX = "mmvp.by_kind.";
}
