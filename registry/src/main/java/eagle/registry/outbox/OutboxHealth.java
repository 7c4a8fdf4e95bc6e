package eagle.registry.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Reports the outbox relay's backlog and last error. It stays UP while Kafka is down: the registry
 * keeps accepting changes and the outbox keeps them; the data tells an operator how far behind the
 * topic is.
 */
@Liveness
@ApplicationScoped
public class OutboxHealth implements HealthCheck {

    @Inject OutboxRelay relay;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b =
                HealthCheckResponse.named("registry-outbox")
                        .up()
                        .withData("pending", relay.pending());
        if (relay.lastPublished() != null) {
            b.withData("lastPublished", relay.lastPublished().toString());
        }
        if (relay.lastError() != null) {
            b.withData("lastError", relay.lastError());
        }
        return b.build();
    }
}
