package eagle.trainer;

import eagle.client.AliasTarget;
import eagle.client.RegistryClient;
import eagle.client.RegistryException;
import eagle.core.model.EncoderSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Chooses a round's starting weights: the registry's {@code production} alias (downloaded once,
 * digest verified, cached under {@code STATE/weights/}) when there is one and its weights carry an
 * EncoderSpec, else the embedded base, also while the registry is unreachable. A production version
 * whose record names a parent version came out of a round ({@link Parent#fineTuned()}).
 */
final class ParentResolver {

    private static final Logger LOG = Logger.getLogger(ParentResolver.class);

    private final RegistryClient registry;
    private final String model;
    private final StateStore store;
    private final Parent base;

    /** Whether a version came out of a round, by version: registry records do not change. */
    private final Map<Integer, Boolean> fromARound = new HashMap<>();

    /**
     * @param registry null when no registry is configured
     * @param model the model's name in the registry
     */
    ParentResolver(RegistryClient registry, String model, StateStore store, Parent base) {
        this.registry = registry;
        this.model = model;
        this.store = store;
        this.base = base;
    }

    Parent resolve() {
        if (registry != null) {
            try {
                Optional<AliasTarget> production = registry.production(model);
                if (production.isPresent()) {
                    AliasTarget p = production.get();
                    if (!Files.exists(store.weights(p.sha256()))) {
                        registry.download(
                                model, p.version(), p.sha256(), store.weights(p.sha256()));
                    }
                    try {
                        EncoderSpec.read(
                                store.weights(p.sha256())); // a round builds the encoder from it
                    } catch (IllegalArgumentException e) {
                        LOG.warnf(
                                "production version %d carries no usable EncoderSpec (%s); starting from the"
                                        + " embedded base",
                                p.version(), e.getMessage());
                        return base;
                    }
                    return new Parent(p.sha256(), p.version(), cameOutOfARound(p.version()));
                }
            } catch (RegistryException | IOException e) {
                // unreachable, refused, or an artifact whose digest does not match (nothing kept)
                LOG.warnf(
                        "production encoder not resolved (%s); starting from the embedded base",
                        e.getMessage());
            }
        }
        return base;
    }

    /**
     * Whether the version's registry record names a parent version (read once per version); false
     * (full rate) when the record cannot be read now, and asked again next time.
     */
    private boolean cameOutOfARound(int version) {
        Boolean known = fromARound.get(version);
        if (known != null) {
            return known;
        }
        try {
            boolean read = registry.version(model, version).parentVersion() != null;
            fromARound.put(version, read);
            return read;
        } catch (RegistryException e) {
            LOG.warnf(
                    "version %d's record not read (%s); its round runs at the full rate",
                    version, e.getMessage());
            return false;
        }
    }
}
