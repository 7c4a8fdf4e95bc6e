package eagle.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.RegistryClient;
import eagle.contracts.RegistryEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The push path (docs/ARCHITECTURE.md, Serving): the registry's events ({@code
 * eagle.registry.events.v1}, key = model name). An {@code ALIAS_MOVED} of {@code production} makes
 * the gateway re-resolve that model at once. The event is only a trigger: the registry's alias is
 * read again, so a redelivered or out-of-order event cannot make the gateway serve a version
 * production no longer names. Each gateway instance consumes in a group of its own (every instance
 * must see every move) from the latest offset; what happened before it started, polling and the
 * first request cover.
 */
@ApplicationScoped
public class RegistryEventsConsumer {

    private static final Logger LOG = Logger.getLogger(RegistryEventsConsumer.class);

    private final ProductionEncoders encoders;
    private final ObjectMapper json;

    public RegistryEventsConsumer(ProductionEncoders encoders, ObjectMapper json) {
        this.encoders = encoders;
        this.json = json;
    }

    @Incoming("registry-events")
    @Blocking
    public void onEvent(String value) {
        RegistryEvent event;
        try {
            event = json.readValue(value, RegistryEvent.class);
        } catch (Exception e) {
            LOG.warnf("ignoring an unreadable registry event (%s): %s", e.getMessage(), value);
            return;
        }
        if (event.type() != RegistryEvent.Type.ALIAS_MOVED
                || !RegistryClient.PRODUCTION.equals(event.alias())) {
            return;
        }
        if (!encoders.models().contains(event.model())) {
            return; // nobody asked for this model yet; it is resolved on its first request
        }
        try {
            encoders.refresh(event.model(), "kafka");
        } catch (GatewayException e) {
            // the previous version keeps serving; the poller tries again
            LOG.warnf(
                    "production of %s moved to %s but could not be swapped in: %s %s",
                    event.model(), event.to(), e.code(), e.getMessage());
        }
    }
}
