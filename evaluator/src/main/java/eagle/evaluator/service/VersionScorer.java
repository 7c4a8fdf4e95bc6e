package eagle.evaluator.service;

import ai.djl.Device;
import eagle.client.DigestMismatchException;
import eagle.client.RegistryClient;
import eagle.client.Version;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.scenes.suite.SuiteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Scores one encoder on the held-out suite (docs/METHOD.md §6) with the model and tokenizer its own
 * artifact describes ({@link EncoderSpec}) and the suite's classes prompted with its own templates:
 * a registry version (download and verify, read its spec, optionally require it to equal another
 * spec, load, run the suite) or the base encoder. Scores come from the suite's cache when the
 * digest was scored before, specs from {@link SpecCache}; a downloaded artifact is deleted after
 * use.
 */
public final class VersionScorer {

    private static final Logger LOG = Logger.getLogger(VersionScorer.class);

    private final RegistryClient registry;
    private final HeldOutSuite suite;
    private final BaseEncoder base;
    private final Path artifactsDir;
    private final SpecCache specs;
    private final Device device;

    public VersionScorer(
            RegistryClient registry,
            HeldOutSuite suite,
            BaseEncoder base,
            Path workDir,
            Device device) {
        this.registry = registry;
        this.suite = suite;
        this.base = base;
        this.artifactsDir = workDir.resolve("artifacts");
        this.specs = new SpecCache(workDir.resolve("specs"));
        this.device = device;
    }

    /**
     * Scores {@code v}; a problem with its artifact or the suite is a {@link Rejection}, never an
     * exception.
     *
     * @param required when not null, the spec {@code v} must have (production's); another one is
     *     refused with {@link Rejection.Code#ARCHITECTURE_CHANGED} before any weights are loaded
     * @param requiredOf what {@code required} is, for the reason ("production v2")
     */
    public Scored score(String model, Version v, EncoderSpec required, String requiredOf) {
        Optional<EncoderSpec> knownSpec = specs.get(v.sha256());
        Optional<SuiteResult> hit = suite.cached(v.sha256());
        if (knownSpec.isPresent()) {
            Optional<Scored> refused = refuseOther(v, knownSpec.get(), required, requiredOf);
            if (refused.isPresent()) {
                return refused.get();
            }
            if (hit.isPresent()) {
                return Scored.of(v.version(), v.sha256(), knownSpec.get(), hit.get());
            }
        }
        Path file = artifactsDir.resolve(v.sha256().toLowerCase() + ".safetensors");
        try {
            try {
                registry.download(model, v.version(), v.sha256(), file);
            } catch (DigestMismatchException e) {
                return Scored.rejected(
                        v.version(),
                        v.sha256(),
                        null,
                        new Rejection(Rejection.Code.DIGEST_MISMATCH, e.reason()));
            } catch (RuntimeException | IOException e) {
                return Scored.rejected(
                        v.version(),
                        v.sha256(),
                        null,
                        new Rejection(
                                Rejection.Code.DOWNLOAD_FAILED, String.valueOf(e.getMessage())));
            }
            EncoderLoader.Inspected inspected = EncoderLoader.inspect(file, v.format());
            if (inspected.rejection() != null) {
                return Scored.rejected(v.version(), v.sha256(), null, inspected.rejection());
            }
            EncoderSpec spec = inspected.spec();
            specs.put(v.sha256(), spec);
            Optional<Scored> refused = refuseOther(v, spec, required, requiredOf);
            if (refused.isPresent()) {
                return refused.get();
            }
            if (hit.isPresent()) {
                return Scored.of(v.version(), v.sha256(), spec, hit.get());
            }
            return run(model, v, file, spec);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("cannot delete %s: %s", file, e.getMessage());
            }
        }
    }

    private Scored run(String model, Version v, Path file, EncoderSpec spec) {
        EncoderLoader.Loaded loaded = EncoderLoader.load(file, spec, device);
        if (!loaded.loaded()) {
            return Scored.rejected(v.version(), v.sha256(), spec, loaded.rejection());
        }
        try {
            return Scored.of(
                    v.version(),
                    v.sha256(),
                    spec,
                    suite.score(v.sha256(), loaded::model, loaded.tokenizer(), spec.prompts()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "suite failed on %s v%d", model, v.version());
            return Scored.rejected(
                    v.version(),
                    v.sha256(),
                    spec,
                    new Rejection(Rejection.Code.SUITE_FAILED, String.valueOf(e)));
        }
    }

    private static Optional<Scored> refuseOther(
            Version v, EncoderSpec spec, EncoderSpec required, String requiredOf) {
        if (required == null) {
            return Optional.empty();
        }
        return spec.differenceFrom(required)
                .map(
                        why ->
                                Scored.rejected(
                                        v.version(),
                                        v.sha256(),
                                        spec,
                                        new Rejection(
                                                Rejection.Code.ARCHITECTURE_CHANGED,
                                                "v"
                                                        + v.version()
                                                        + "'s encoder differs from "
                                                        + requiredOf
                                                        + "'s: "
                                                        + why)));
    }

    /**
     * Scores the base encoder (cached after the first time on a suite id).
     *
     * @throws EngineFailure when it cannot be scored: the engine, not a candidate, is at fault
     */
    public Scored scoreBase() {
        try {
            return Scored.of(
                    null,
                    base.sha256(),
                    base.spec(),
                    suite.score(
                            base.sha256(),
                            () -> {
                                try {
                                    return ClipModel.load(
                                            base.file(), base.spec().config(), device);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(
                                            "cannot load the base encoder " + base.file(), e);
                                }
                            },
                            base.spec().createTokenizer(),
                            base.spec().prompts()));
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            throw new EngineFailure("cannot score the base encoder " + base.file() + ": " + e, e);
        }
    }
}
