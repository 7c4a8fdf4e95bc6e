package eagle.evaluator.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the evaluation worker works: each component that stopped working (the registry-event
 * consumer, the engine) with its reason. Healthy when none has; a component that recovers is
 * cleared.
 */
@ApplicationScoped
public class WorkerHealth {

    /** The registry-event consumer thread. */
    public static final String CONSUMER = "registry-event consumer";

    /** The engine that scores encoders. */
    public static final String ENGINE = "engine";

    /** The held-out suite's source (a COCO set that cannot be read). */
    public static final String SUITE = "held-out suite";

    private final Map<String, String> failures = new TreeMap<>();

    public synchronized void failed(String component, String reason) {
        failures.put(component, reason);
    }

    public synchronized void recovered(String component) {
        failures.remove(component);
    }

    /** The components that stopped working, with their reasons; empty when healthy. */
    public synchronized Map<String, String> failures() {
        return Map.copyOf(failures);
    }
}
