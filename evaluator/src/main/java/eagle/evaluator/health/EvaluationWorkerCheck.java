package eagle.evaluator.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness and liveness of the evaluation worker: DOWN, with each failed component and its reason,
 * when the registry-event consumer stopped or the engine cannot score the base encoder (a restart
 * is the remedy).
 */
@Liveness
@Readiness
@ApplicationScoped
public class EvaluationWorkerCheck implements HealthCheck {

    public static final String NAME = "evaluation-worker";

    @Inject WorkerHealth health;

    public EvaluationWorkerCheck() {}

    /** For use without CDI. */
    public EvaluationWorkerCheck(WorkerHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> failures = health.failures();
        HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME).status(failures.isEmpty());
        failures.forEach(b::withData);
        return b.build();
    }
}
