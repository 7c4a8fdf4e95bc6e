package eagle.evaluator;

import eagle.client.RegistryClient;
import eagle.evaluator.health.WorkerHealth;
import eagle.evaluator.service.Outcome;
import eagle.evaluator.service.SuiteRechecks;
import eagle.evaluator.service.SuiteUnavailable;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Every {@code eagle.evaluator.recheck.on-new-suite} (on by default; {@code off} disables) looks
 * for a new version of the held-out suite and re-checks production on it ({@link SuiteRechecks}):
 * the models of {@code eagle.evaluator.recheck.models}, or every model of the registry when none
 * are configured. A suite that cannot be built makes {@code evaluation-worker} DOWN with the reason
 * until it can.
 */
@ApplicationScoped
public class SuiteRecheckSchedule {

    private static final Logger LOG = Logger.getLogger(SuiteRecheckSchedule.class);

    @Inject SuiteRechecks rechecks;

    @Inject RegistryClient registry;

    @Inject EvaluatorConfig config;

    @Inject WorkerHealth health;

    @Scheduled(
            every = "${eagle.evaluator.recheck.on-new-suite}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.errorf(e, "re-check on a new suite version failed; will try again");
        }
    }

    /** One look for a new suite version and the re-checks it calls for. */
    public Map<String, Outcome> runOnce() {
        List<String> models = config.recheck().models().orElseGet(registry::models);
        try {
            Map<String, Outcome> out = rechecks.run(models);
            health.recovered(WorkerHealth.SUITE);
            return out;
        } catch (SuiteUnavailable e) {
            health.failed(WorkerHealth.SUITE, e.getMessage());
            throw e;
        }
    }
}
