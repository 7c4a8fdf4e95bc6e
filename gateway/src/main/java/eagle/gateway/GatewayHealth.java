package eagle.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when every configured model ({@code eagle.gateway.models}) has a production encoder loaded
 * and no tracked model's production names a version that failed to load; the data names each
 * tracked model's served version and the one kept for rollback.
 */
@Readiness
@ApplicationScoped
public class GatewayHealth implements HealthCheck {

    private final ProductionEncoders encoders;
    private final GatewayConfig config;

    public GatewayHealth(ProductionEncoders encoders, GatewayConfig config) {
        this.encoders = encoders;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("production-encoders").up();
        for (String model : config.models().orElse(List.of())) {
            if (!encoders.models().contains(model)) {
                b.down().withData(model, "not loaded");
            }
        }
        for (String model : encoders.models()) {
            ProductionEncoders.Serving s = encoders.peek(model);
            GatewayException stale = encoders.stale(model);
            if (stale != null) {
                b.down().withData(model, stale.getMessage());
            } else if (s == null) {
                b.down().withData(model, "not loaded");
            } else {
                b.withData(
                        model,
                        "version "
                                + s.current().version()
                                + (s.previous() == null
                                        ? ""
                                        : ", rollback ready: " + s.previous().version()));
            }
        }
        return b.build();
    }
}
