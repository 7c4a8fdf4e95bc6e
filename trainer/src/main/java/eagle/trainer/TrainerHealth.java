package eagle.trainer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/live} and {@code /q/health/ready}: DOWN with the reason once the engine thread
 * stopped on an error (phase FAILED), so an orchestrator restarts the trainer; a restart abandons a
 * round that failed on its data (trainer/README.md, "When a round fails"). UP otherwise, also while
 * Kafka is being reconnected to.
 */
@Liveness
@Readiness
@ApplicationScoped
public class TrainerHealth implements HealthCheck {

    @Inject TrainerService service;

    @Override
    public HealthCheckResponse call() {
        return of(service.status());
    }

    /** The check's answer for a status (null: the trainer is disabled). */
    static HealthCheckResponse of(TrainerStatus status) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("eagle-trainer-engine");
        if (status == null) {
            return b.up().withData("enabled", false).build();
        }
        b.withData("phase", status.phase().name());
        if (status.phase() == TrainerPhase.FAILED) {
            return b.down().withData("reason", String.valueOf(status.error())).build();
        }
        return b.up().build();
    }
}
