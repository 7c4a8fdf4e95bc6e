package eagle.evaluator;

import eagle.evaluator.service.EvaluationPipeline;
import eagle.evaluator.service.Outcome;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Re-checks the production version of each configured model every {@code
 * eagle.evaluator.recheck.every} ({@code off} by default); a failing re-check rolls production back
 * (see {@link EvaluationPipeline#recheck}).
 */
@ApplicationScoped
public class ScheduledRecheck {

    private static final Logger LOG = Logger.getLogger(ScheduledRecheck.class);

    @Inject EvaluationPipeline pipeline;

    @Inject EvaluatorConfig config;

    @Scheduled(
            every = "${eagle.evaluator.recheck.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void recheck() {
        for (String model : config.recheck().models().orElse(List.of())) {
            try {
                Outcome o = pipeline.recheck(model, null);
                LOG.infof("scheduled re-check of %s: %s (%s)", model, o.status(), o.reason());
            } catch (RuntimeException e) {
                LOG.errorf(e, "scheduled re-check of %s failed", model);
            }
        }
    }
}
