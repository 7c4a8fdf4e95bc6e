package eagle.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The serving metrics of each model: {@code gateway.production.swaps}, {@code
 * gateway.production.swap.failures} and the gauge {@code gateway.production.version} (the version
 * served now, NaN when none).
 */
@ApplicationScoped
public class ProductionMetrics {

    private final MeterRegistry meters;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    public ProductionMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * A swap of {@code model}; the first one registers the version gauge, read from {@code state}.
     */
    public <T> void swapped(String model, T state, ToDoubleFunction<T> servedVersion) {
        meters.counter("gateway.production.swaps", "model", model).increment();
        if (gauged.add(model)) {
            meters.gauge(
                    "gateway.production.version", Tags.of("model", model), state, servedVersion);
        }
    }

    /** Production of {@code model} moved to a version that could not be swapped in. */
    public void swapFailed(String model) {
        meters.counter("gateway.production.swap.failures", "model", model).increment();
    }
}
