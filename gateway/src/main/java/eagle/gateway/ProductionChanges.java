package eagle.gateway;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The listeners of each model's production changes (the server-sent events of docs/ARCHITECTURE.md,
 * Serving): a new listener first gets the current state ({@code CURRENT}), then every published
 * move, with no move lost or doubled between the two.
 */
@ApplicationScoped
public class ProductionChanges {

    private static final class Listeners {
        final Object lock = new Object();
        final List<MultiEmitter<? super ProductionChange>> emitters = new CopyOnWriteArrayList<>();
    }

    private final Map<String, Listeners> byModel = new ConcurrentHashMap<>();

    /**
     * A stream of {@code model}'s changes: {@code current} (re-typed {@code CURRENT}) first, then
     * each move.
     */
    public Multi<ProductionChange> stream(String model, Supplier<ProductionChange> current) {
        Listeners listeners = listeners(model);
        return Multi.createFrom()
                .emitter(
                        emitter -> {
                            synchronized (listeners.lock) {
                                ProductionChange c = current.get();
                                emitter.emit(
                                        new ProductionChange(
                                                "CURRENT",
                                                c.model(),
                                                c.version(),
                                                c.sha256(),
                                                c.previousVersion(),
                                                c.cause(),
                                                c.at()));
                                listeners.emitters.add(emitter);
                            }
                            emitter.onTermination(() -> listeners.emitters.remove(emitter));
                        });
    }

    /** Sends {@code change} to every listener of {@code model}. */
    public void publish(String model, ProductionChange change) {
        Listeners listeners = listeners(model);
        synchronized (listeners.lock) {
            listeners.emitters.forEach(l -> l.emit(change));
        }
    }

    private Listeners listeners(String model) {
        return byModel.computeIfAbsent(model, m -> new Listeners());
    }

    @PreDestroy
    void close() {
        byModel.values().forEach(l -> l.emitters.forEach(MultiEmitter::complete));
    }
}
