package eagle.evaluator.service;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Re-checks that mean something (docs/METHOD.md §7): when the held-out suite has a new version (the
 * stream's split grew by the configured number of images; a new COCO set or another source
 * configured before a restart), each model's production version is re-evaluated with its
 * predecessor (the baseline of its promotion) and the base on the new version, and rolled back
 * through the registry if it now fails the gate ({@link EvaluationPipeline#recheck}). A production
 * version that already has an evaluation on the current suite version is left alone, so a fixed
 * suite is not re-checked again and again.
 */
public final class SuiteRechecks {

    private static final Logger LOG = Logger.getLogger(SuiteRechecks.class);

    private final EvaluationPipeline pipeline;

    public SuiteRechecks(EvaluationPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Builds the suite's next version when one is due, then re-checks the production version of
     * each of {@code models} that has no evaluation on the current version.
     *
     * @return the re-check outcome per model re-checked (models left alone are absent)
     * @throws SuiteUnavailable when the suite cannot be built: nothing is recorded, production
     *     stays
     */
    public Map<String, Outcome> run(Collection<String> models) {
        if (pipeline.refreshSuite()) {
            LOG.infof("held-out suite is now %s", pipeline.suite().version());
        }
        String suiteId = pipeline.suite().id();
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (String model : models) {
            Outcome o = pipeline.recheckOnCurrentSuite(model);
            if (o.status() == Outcome.Status.SKIPPED) {
                continue;
            }
            LOG.infof(
                    "re-check of %s's production on suite %s: %s (%s)",
                    model, suiteId, o.status(), o.reason());
            out.put(model, o);
        }
        return out;
    }
}
