package eagle.gateway;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The fallback path: every {@code eagle.gateway.poll-interval} each tracked model's {@code
 * production} is resolved again, so a move is seen even when Kafka events are delayed or lost. At
 * start, the configured models are loaded (a model whose registry call fails is tried again at the
 * next poll).
 */
@ApplicationScoped
public class ProductionPoller {

    private static final Logger LOG = Logger.getLogger(ProductionPoller.class);

    private final ProductionEncoders encoders;
    private final GatewayConfig config;

    public ProductionPoller(ProductionEncoders encoders, GatewayConfig config) {
        this.encoders = encoders;
        this.config = config;
    }

    void onStart(@Observes StartupEvent start) {
        for (String model : config.models().orElse(List.of())) {
            try {
                encoders.serving(model);
            } catch (GatewayException e) {
                LOG.warnf(
                        "production of %s not loaded at start: %s %s",
                        model, e.code(), e.getMessage());
            }
        }
    }

    @Scheduled(
            every = "${eagle.gateway.poll-interval}",
            delayed = "${eagle.gateway.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        pollOnce("poll");
    }

    /**
     * Re-resolves every tracked model; returns each model's outcome ({@code moved to N}, {@code
     * unchanged}, or the error).
     */
    public Map<String, String> pollOnce(String cause) {
        Map<String, String> outcome = new LinkedHashMap<>();
        for (String model : config.models().orElse(List.of())) {
            if (!encoders.models().contains(model)) {
                outcome.put(
                        model, attempt(() -> encoders.serving(model) == null ? "none" : "loaded"));
            }
        }
        for (String model : encoders.models()) {
            outcome.putIfAbsent(
                    model,
                    attempt(
                            () -> {
                                ProductionChange c = encoders.refresh(model, cause);
                                return c == null ? "unchanged" : "moved to " + c.version();
                            }));
        }
        return outcome;
    }

    private static String attempt(java.util.function.Supplier<String> action) {
        try {
            return action.get();
        } catch (GatewayException e) {
            LOG.warnf("poll: %s %s", e.code(), e.getMessage());
            return e.code() + ": " + e.getMessage();
        }
    }
}
