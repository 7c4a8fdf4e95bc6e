package eagle.evaluator.service;

import eagle.core.model.EncoderSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The {@link EncoderSpec} each artifact carries, by sha256 (a pure function of the bytes), in
 * memory and under {@code dir/<sha256>.json}, so a version whose scores are cached need not be
 * downloaded again to learn its spec.
 */
final class SpecCache {

    private static final Logger LOG = Logger.getLogger(SpecCache.class);

    private final Path dir;
    private final ConcurrentHashMap<String, EncoderSpec> memory = new ConcurrentHashMap<>();

    SpecCache(Path dir) {
        this.dir = dir;
    }

    Optional<EncoderSpec> get(String sha256) {
        String key = sha256.toLowerCase();
        EncoderSpec spec = memory.get(key);
        if (spec != null) {
            return Optional.of(spec);
        }
        Path f = dir.resolve(key + ".json");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            spec = EncoderSpec.fromJson(Files.readString(f));
        } catch (IOException | IllegalArgumentException e) {
            return Optional
                    .empty(); // a torn cache file is read again from the artifact, never trusted
        }
        memory.put(key, spec);
        return Optional.of(spec);
    }

    void put(String sha256, EncoderSpec spec) {
        String key = sha256.toLowerCase();
        memory.put(key, spec);
        Path f = dir.resolve(key + ".json");
        try {
            Files.createDirectories(dir);
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.writeString(tmp, spec.toJson());
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf(
                    "cannot cache the spec of %s: %s", key, e.getMessage()); // kept in memory only
        }
    }
}
