package eagle.trainer;

import eagle.core.model.EncoderSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Chooses a round's starting weights: the registry's {@code production} alias (downloaded once, digest verified,
 * cached under {@code STATE/weights/}) when there is one and its weights carry an EncoderSpec, else the
 * embedded base, also while the registry is unreachable.
 */
final class ParentResolver {

    private static final Logger LOG = Logger.getLogger(ParentResolver.class);

    private final RegistryClient registry;
    private final StateStore store;
    private final Parent base;

    /** @param registry null when no registry is configured */
    ParentResolver(RegistryClient registry, StateStore store, Parent base) {
        this.registry = registry;
        this.store = store;
        this.base = base;
    }

    Parent resolve() {
        if (registry != null) {
            try {
                Optional<RegistryClient.AliasTarget> production = registry.production();
                if (production.isPresent()) {
                    RegistryClient.AliasTarget p = production.get();
                    if (!Files.exists(store.weights(p.sha256()))) {
                        registry.download(p.version(), p.sha256(), store.weights(p.sha256()));
                    }
                    try {
                        EncoderSpec.read(store.weights(p.sha256())); // a round builds the encoder from it
                    } catch (IllegalArgumentException e) {
                        LOG.warnf("production version %d carries no usable EncoderSpec (%s); starting from the"
                                + " embedded base", p.version(), e.getMessage());
                        return base;
                    }
                    return new Parent(p.sha256(), p.version());
                }
            } catch (RegistryClient.Unavailable | RegistryClient.Refused | IOException e) {
                LOG.warnf("production encoder not resolved (%s); starting from the embedded base", e.getMessage());
            }
        }
        return base;
    }
}
