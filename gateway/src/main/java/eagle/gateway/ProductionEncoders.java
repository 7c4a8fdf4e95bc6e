package eagle.gateway;

import eagle.client.AliasTarget;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The production encoder of each model, as the gateway serves it (docs/ARCHITECTURE.md, Serving):
 * the swap.
 *
 * <p>Per model a {@link Serving} pair (current, previous) sits in an {@link AtomicReference}. A
 * refresh resolves {@code production} in the registry; when it points elsewhere, the new version is
 * fetched, verified, loaded and warmed ({@link BlessedVersions}) <em>before</em> one atomic swap,
 * so requests see either the old version or the new one, never a half-loaded one. The version it
 * replaces stays loaded as {@code previous}: a rollback to it is a swap with no download or load.
 * The version before that is closed (after embeddings in flight finish). Refreshes of one model are
 * serialised; those of different models run independently. Downloads already streaming keep the
 * file of the digest they started with (cache files are immutable and named by digest), so they
 * finish with the version they started with. Each swap is published to {@link ProductionChanges}
 * and counted by {@link ProductionMetrics}.
 *
 * <p>A version is served only when it is the target of {@code production}, READY, with the digest
 * the alias names, and has a passing evaluation; or, by number ({@link #blessedWeights}), when it
 * is READY and has a passing evaluation.
 */
@ApplicationScoped
public class ProductionEncoders {

    private static final Logger LOG = Logger.getLogger(ProductionEncoders.class);

    /**
     * What one model serves: {@code current} (the production target) and {@code previous} (kept for
     * rollback).
     */
    public record Serving(LoadedEncoder current, LoadedEncoder previous, ProductionChange change) {}

    private static final class Slot {
        final AtomicReference<Serving> serving = new AtomicReference<>();
        final Object refreshLock = new Object();

        /**
         * Set while production names a version that could not be swapped in; cleared by the next
         * good refresh.
         */
        volatile GatewayException stale;
    }

    private final BlessedVersions versions;
    private final ProductionChanges changes;
    private final ProductionMetrics metrics;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    public ProductionEncoders(
            BlessedVersions versions, ProductionChanges changes, ProductionMetrics metrics) {
        this.versions = versions;
        this.changes = changes;
        this.metrics = metrics;
    }

    /** The models the gateway tracks (configured, or requested at least once). */
    public Set<String> models() {
        return Set.copyOf(slots.keySet());
    }

    /**
     * Why {@code model} is not served although loaded (production names a version that failed to
     * load), or null.
     */
    public GatewayException stale(String model) {
        Slot slot = slots.get(model);
        return slot == null ? null : slot.stale;
    }

    /** What {@code model} serves now, or null when it is not loaded (no registry call). */
    public Serving peek(String model) {
        Slot slot = slots.get(model);
        return slot == null ? null : slot.serving.get();
    }

    /**
     * What {@code model} serves now, resolving and loading production on the first request.
     *
     * @throws GatewayException 503 {@code PRODUCTION_NOT_LOADED} while production names a version
     *     that could not be swapped in (the version loaded before is no longer production, so it is
     *     not served; the next poll or event tries again)
     */
    public Serving serving(String model) {
        GatewayException stale = slot(model).stale;
        if (stale != null) {
            throw stale;
        }
        Serving s = slot(model).serving.get();
        if (s == null) {
            try {
                refresh(model, "request");
            } catch (GatewayException e) {
                if (slots.get(model) != null && slots.get(model).serving.get() == null) {
                    slots.remove(model); // an unknown or unservable name is not tracked
                }
                throw e;
            }
            s = slot(model).serving.get();
        }
        return s;
    }

    /** The production encoder of {@code model} (loaded on the first request). */
    public LoadedEncoder current(String model) {
        return serving(model).current();
    }

    /**
     * Re-resolves {@code production} of {@code model} and, when it moved, swaps in the new version
     * (see the class comment). Returns the change made, or null when production had not moved.
     */
    public ProductionChange refresh(String model, String cause) {
        Slot slot = slot(model);
        synchronized (slot.refreshLock) {
            AliasTarget target = versions.production(model);
            Serving s = slot.serving.get();
            if (s != null && is(s.current(), target)) {
                slot.stale = null;
                return null;
            }
            Serving next;
            if (s != null && s.previous() != null && is(s.previous(), target)) {
                next =
                        new Serving(
                                s.previous(),
                                s.current(),
                                change(s.previous(), s.current(), cause));
            } else {
                LoadedEncoder loaded;
                try {
                    loaded = versions.load(model, target.version(), target.sha256());
                } catch (GatewayException e) {
                    if (s != null) {
                        metrics.swapFailed(model);
                        slot.stale =
                                new GatewayException(
                                        503,
                                        "PRODUCTION_NOT_LOADED",
                                        "production of "
                                                + model
                                                + " points at version "
                                                + target.version()
                                                + ", which could not be swapped in ("
                                                + e.code()
                                                + ": "
                                                + e.getMessage()
                                                + "); version "
                                                + s.current().version()
                                                + " is no longer production and is not served",
                                        e);
                    }
                    throw e;
                }
                LoadedEncoder keep = s == null ? null : s.current();
                next = new Serving(loaded, keep, change(loaded, keep, cause));
            }
            slot.stale = null;
            Serving old = slot.serving.getAndSet(next);
            if (old != null
                    && old.previous() != null
                    && old.previous() != next.previous()
                    && old.previous() != next.current()) {
                old.previous().close();
            }
            metrics.swapped(
                    model,
                    slot,
                    x ->
                            x.serving.get() == null
                                    ? Double.NaN
                                    : x.serving.get().current().version());
            LOG.infof(
                    "%s: production %s -> %d (%s), cause %s",
                    model,
                    old == null ? "none" : String.valueOf(old.current().version()),
                    next.current().version(),
                    next.current().sha256(),
                    cause);
            changes.publish(model, next.change());
            return next.change();
        }
    }

    /**
     * The weights of version {@code version} by number: served only when it is READY and has a
     * passing evaluation (asked of the registry on every request; the loaded current/previous
     * versions answer from memory when the registry is unreachable).
     */
    public ServedFile blessedWeights(String model, int version) {
        Serving s = slot(model).serving.get();
        try {
            return versions.weights(model, version);
        } catch (GatewayException e) {
            if (e.status() == 503 && s != null) {
                for (LoadedEncoder loaded : new LoadedEncoder[] {s.current(), s.previous()}) {
                    if (loaded != null && loaded.version() == version) {
                        return verifiedWeights(loaded);
                    }
                }
            }
            throw e;
        }
    }

    /**
     * {@code encoder}'s weights file, verified again (cheaply when unchanged) and re-fetched when
     * tampered with.
     */
    public ServedFile verifiedWeights(LoadedEncoder encoder) {
        ServedFile w = encoder.weights();
        versions.reverify(w);
        return w;
    }

    /** Server-sent changes of {@code model}: the current state first, then every move. */
    public Multi<ProductionChange> changes(String model) {
        Slot slot = slot(model);
        serving(model); // resolve before the stream opens, so that CURRENT is real
        return changes.stream(model, () -> slot.serving.get().change());
    }

    private static boolean is(LoadedEncoder e, AliasTarget p) {
        return e.version() == p.version() && e.sha256().equals(p.sha256());
    }

    private static ProductionChange change(LoadedEncoder now, LoadedEncoder before, String cause) {
        return new ProductionChange(
                "MOVED",
                now.model(),
                now.version(),
                now.sha256(),
                before == null ? null : before.version(),
                cause,
                Instant.now().toString());
    }

    private Slot slot(String model) {
        return slots.computeIfAbsent(model, m -> new Slot());
    }

    @PreDestroy
    void close() {
        for (Slot slot : slots.values()) {
            Serving s = slot.serving.getAndSet(null);
            if (s != null) {
                s.current().close();
                if (s.previous() != null) {
                    s.previous().close();
                }
            }
        }
    }
}
