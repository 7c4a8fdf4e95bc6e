package eagle.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The production encoder of each model, as the gateway serves it (docs/ARCHITECTURE.md, Serving).
 *
 * <p>Per model a {@link Serving} pair (current, previous) sits in an {@link AtomicReference}. A refresh
 * resolves {@code production} in the registry; when it points elsewhere, the new version is fetched into the
 * {@link ArtifactCache} (verified), loaded and warmed <em>before</em> one atomic swap, so requests see either
 * the old version or the new one, never a half-loaded one. The version it replaces stays loaded as
 * {@code previous}: a rollback to it is a swap with no download or load. The version before that is closed
 * (after embeddings in flight finish). Refreshes of one model are serialised; those of different models run
 * independently. Downloads already streaming keep the file of the digest they started with (cache files are
 * immutable and named by digest), so they finish with the version they started with.
 *
 * <p>A version is served only when it is the target of {@code production}, READY, with the digest the alias
 * names, and has a passing evaluation; or, by number ({@link #blessedWeights}), when it is READY and has a
 * passing evaluation.
 */
@ApplicationScoped
public class ProductionEncoders {

    private static final Logger LOG = Logger.getLogger(ProductionEncoders.class);

    /** What one model serves: {@code current} (the production target) and {@code previous} (kept for rollback). */
    public record Serving(LoadedEncoder current, LoadedEncoder previous, ProductionChange change) {
    }

    private static final class Slot {
        final String model;
        final AtomicReference<Serving> serving = new AtomicReference<>();
        final Object refreshLock = new Object();
        final Object listenersLock = new Object();
        final List<MultiEmitter<? super ProductionChange>> listeners = new CopyOnWriteArrayList<>();
        /** Set while production names a version that could not be swapped in; cleared by the next good refresh. */
        volatile GatewayException stale;

        Slot(String model) {
            this.model = model;
        }
    }

    private final RegistryClient registry;
    private final ArtifactCache cache;
    private final MeterRegistry meters;
    private final Path hfRoot;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong loads = new AtomicLong();

    public ProductionEncoders(RegistryClient registry, ArtifactCache cache, GatewayConfig config, MeterRegistry meters) {
        this.registry = registry;
        this.cache = cache;
        this.meters = meters;
        this.hfRoot = config.cacheDir().resolve("hf");
        deleteTree(hfRoot); // Hugging Face folders are derived per load; stale ones of an earlier run go
    }

    /** The models the gateway tracks (configured, or requested at least once). */
    public Set<String> models() {
        return Set.copyOf(slots.keySet());
    }

    /** Why {@code model} is not served although loaded (production names a version that failed to load), or null. */
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
     * @throws GatewayException 503 {@code PRODUCTION_NOT_LOADED} while production names a version that could
     *                          not be swapped in (the version loaded before is no longer production, so it is
     *                          not served; the next poll or event tries again)
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
     * Re-resolves {@code production} of {@code model} and, when it moved, swaps in the new version (see the
     * class comment). Returns the change made, or null when production had not moved.
     */
    public ProductionChange refresh(String model, String cause) {
        Slot slot = slot(model);
        synchronized (slot.refreshLock) {
            RegistryClient.Pointer target = registry.production(model);
            Serving s = slot.serving.get();
            if (s != null && is(s.current(), target)) {
                slot.stale = null;
                return null;
            }
            Serving next;
            if (s != null && s.previous() != null && is(s.previous(), target)) {
                next = new Serving(s.previous(), s.current(), change(s.previous(), s.current(), cause));
            } else {
                LoadedEncoder loaded;
                try {
                    loaded = load(model, target.version(), target.sha256());
                } catch (GatewayException e) {
                    if (s != null) {
                        meters.counter("gateway.production.swap.failures", "model", model).increment();
                        slot.stale = new GatewayException(503, "PRODUCTION_NOT_LOADED", "production of " + model
                                + " points at version " + target.version() + ", which could not be swapped in ("
                                + e.code() + ": " + e.getMessage() + "); version " + s.current().version()
                                + " is no longer production and is not served", e);
                    }
                    throw e;
                }
                LoadedEncoder keep = s == null ? null : s.current();
                next = new Serving(loaded, keep, change(loaded, keep, cause));
            }
            slot.stale = null;
            Serving old = slot.serving.getAndSet(next);
            if (old != null && old.previous() != null && old.previous() != next.previous()
                    && old.previous() != next.current()) {
                old.previous().close();
            }
            meters.counter("gateway.production.swaps", "model", model).increment();
            if (old == null) {
                meters.gauge("gateway.production.version", io.micrometer.core.instrument.Tags.of("model", model), slot,
                        x -> x.serving.get() == null ? Double.NaN : x.serving.get().current().version());
            }
            LOG.infof("%s: production %s -> %d (%s), cause %s", model,
                    old == null ? "none" : String.valueOf(old.current().version()), next.current().version(),
                    next.current().sha256(), cause);
            synchronized (slot.listenersLock) {
                slot.listeners.forEach(l -> l.emit(next.change()));
            }
            return next.change();
        }
    }

    /**
     * The weights of version {@code version} by number: served only when it is READY and has a passing
     * evaluation (asked of the registry on every request; the loaded current/previous versions answer
     * from memory when the registry is unreachable).
     */
    public ServedFile blessedWeights(String model, int version) {
        Serving s = slot(model).serving.get();
        try {
            RegistryClient.VersionInfo info = registry.version(model, version);
            requireReady(info);
            latestPassing(model, version);
            Path file = cache.verified(info.sha256(), info.sizeBytes(), () -> registry.artifact(model, version));
            return new ServedFile(file, info.sha256(), info.sizeBytes(), "application/octet-stream", model, version,
                    info.sha256());
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

    /** {@code encoder}'s weights file, verified again (cheaply when unchanged) and re-fetched when tampered with. */
    public ServedFile verifiedWeights(LoadedEncoder encoder) {
        ServedFile w = encoder.weights();
        cache.verified(w.sha256(), w.sizeBytes(), () -> registry.artifact(w.model(), w.version()));
        return w;
    }

    /** Server-sent changes of {@code model}: the current state first, then every move. */
    public Multi<ProductionChange> changes(String model) {
        Slot slot = slot(model);
        serving(model); // resolve before the stream opens, so that CURRENT is real
        return Multi.createFrom().emitter(emitter -> {
            synchronized (slot.listenersLock) {
                Serving s = slot.serving.get();
                ProductionChange c = s.change();
                emitter.emit(new ProductionChange("CURRENT", c.model(), c.version(), c.sha256(), c.previousVersion(),
                        c.cause(), c.at()));
                slot.listeners.add(emitter);
            }
            emitter.onTermination(() -> slot.listeners.remove(emitter));
        });
    }

    private LoadedEncoder load(String model, int version, String sha256) {
        RegistryClient.VersionInfo info = registry.version(model, version);
        requireReady(info);
        if (!info.sha256().equals(sha256)) {
            throw new GatewayException(502, "DIGEST_DISAGREES", "production names " + sha256 + " but version "
                    + version + " has " + info.sha256());
        }
        JsonNode evaluation = latestPassing(model, version);
        Path file = cache.verified(sha256, info.sizeBytes(), () -> registry.artifact(model, version));
        Path hf = hfRoot.resolve(sha256 + "-" + loads.incrementAndGet());
        return LoadedEncoder.load(info, evaluation, file, hf);
    }

    private void requireReady(RegistryClient.VersionInfo info) {
        if (!info.ready()) {
            throw new GatewayException(409, "VERSION_NOT_READY", "version " + info.version() + " of " + info.model()
                    + " is " + info.status() + ", not READY");
        }
    }

    private JsonNode latestPassing(String model, int version) {
        List<JsonNode> passing = registry.evaluations(model, version).stream()
                .filter(e -> e.path("passed").asBoolean(false))
                .toList();
        if (passing.isEmpty()) {
            throw new GatewayException(409, "NOT_BLESSED", "version " + version + " of " + model
                    + " has no passing evaluation");
        }
        return passing.stream().max(Comparator.comparing(e -> e.path("createdAt").asText())).orElseThrow();
    }

    private static boolean is(LoadedEncoder e, RegistryClient.Pointer p) {
        return e.version() == p.version() && e.sha256().equals(p.sha256());
    }

    private static ProductionChange change(LoadedEncoder now, LoadedEncoder before, String cause) {
        return new ProductionChange("MOVED", now.model(), now.version(), now.sha256(),
                before == null ? null : before.version(), cause, Instant.now().toString());
    }

    private Slot slot(String model) {
        return slots.computeIfAbsent(model, Slot::new);
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
            slot.listeners.forEach(MultiEmitter::complete);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot clear " + root, e);
        }
    }
}
