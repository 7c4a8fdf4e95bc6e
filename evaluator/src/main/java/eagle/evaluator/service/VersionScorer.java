package eagle.evaluator.service;

import ai.djl.Device;
import eagle.core.model.ClipModel;
import eagle.evaluator.registry.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Scores one encoder on the held-out suite (docs/METHOD.md §6): a registry version (download, verify and load
 * its artifact, then run the suite) or the base encoder. Results come from the suite's cache when the artifact
 * digest was scored before; a downloaded artifact is deleted after use.
 */
public final class VersionScorer {

    private static final Logger LOG = Logger.getLogger(VersionScorer.class);

    private final RegistryClient registry;
    private final HeldOutSuite suite;
    private final BaseEncoder base;
    private final Path artifactsDir;
    private final Device device;

    public VersionScorer(RegistryClient registry, HeldOutSuite suite, BaseEncoder base, Path artifactsDir,
                         Device device) {
        this.registry = registry;
        this.suite = suite;
        this.base = base;
        this.artifactsDir = artifactsDir;
        this.device = device;
    }

    /** Scores {@code v}; a problem with its artifact or the suite is a {@link Rejection}, never an exception. */
    public Scored score(String model, RegistryClient.Version v) {
        Optional<eagle.scenes.suite.SuiteResult> hit = suite.cached(v.sha256());
        if (hit.isPresent()) {
            return Scored.of(v.version(), v.sha256(), hit.get());
        }
        Path file = artifactsDir.resolve(v.sha256().toLowerCase() + ".safetensors");
        try {
            Files.createDirectories(artifactsDir);
            registry.download(model, v.version(), file);
        } catch (RuntimeException | IOException e) {
            return Scored.rejected(v.version(), v.sha256(),
                    new Rejection(Rejection.Code.DOWNLOAD_FAILED, String.valueOf(e.getMessage())));
        }
        try {
            EncoderLoader.Outcome o = EncoderLoader.load(file, v.format(), v.sha256(), base.config(), device);
            if (!o.loaded()) {
                return Scored.rejected(v.version(), v.sha256(), o.rejection());
            }
            try {
                return Scored.of(v.version(), v.sha256(), suite.score(v.sha256(), o::model, base.tokenizer()));
            } catch (RuntimeException e) {
                LOG.errorf(e, "suite failed on %s v%d", model, v.version());
                return Scored.rejected(v.version(), v.sha256(),
                        new Rejection(Rejection.Code.SUITE_FAILED, String.valueOf(e)));
            }
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("cannot delete %s: %s", file, e.getMessage());
            }
        }
    }

    /** Scores the base encoder (cached after the first time on a suite id). */
    public Scored scoreBase() {
        return Scored.of(null, base.sha256(), suite.score(base.sha256(), () -> {
            try {
                return ClipModel.load(base.file(), base.config(), device);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the base encoder " + base.file(), e);
            }
        }, base.tokenizer()));
    }
}
