package eagle.evaluator.service;

import eagle.core.eval.Bootstrap;
import eagle.core.model.ClipModel;
import eagle.core.text.PromptTemplates;
import eagle.core.text.Tokenizer;
import eagle.evaluator.stream.StreamSuiteSource;
import eagle.scenes.SceneGenerator;
import eagle.scenes.experiment.ClipSuiteEncoder;
import eagle.scenes.suite.CocoSuite;
import eagle.scenes.suite.CocoSuiteBuilder;
import eagle.scenes.suite.CocoSuiteConfig;
import eagle.scenes.suite.HeldOutSet;
import eagle.scenes.suite.Suite;
import eagle.scenes.suite.SuiteConfig;
import eagle.scenes.suite.SuiteResult;
import eagle.scenes.suite.SuiteRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The held-out suite, built once, and a cache of results per (artifact sha256, suite id), on disk
 * under {@code cacheDir/<suite id>/<sha256>.json}, so the baseline and the base are scored once per
 * suite and not at every candidate. The suite is the synthetic one (the standard scene generator
 * and a {@link SuiteConfig}), one built from a COCO-format set ({@link CocoSuiteBuilder}) or one
 * built from the stream's held-out split ({@link StreamSuiteSource}, a new version after the
 * configured growth: {@link #refresh()}); its id (a content digest, or a digest of the offsets it
 * covers) is recorded with every evaluation.
 */
public final class HeldOutSuite {

    private static final Logger LOG = Logger.getLogger(HeldOutSuite.class);

    private final String source;
    private final Supplier<Screened> build;
    private final BooleanSupplier newVersion;
    private final SuiteRunner.Options options;
    private final Path cacheDir;
    private final ConcurrentHashMap<String, SuiteResult> memory = new ConcurrentHashMap<>();
    private volatile HeldOutSet suite;
    private volatile Map<String, Integer> skippedImages = Map.of();
    private volatile Map<String, String> detail = Map.of();

    /**
     * The suite, with the images left out by reason and what the evaluation records about its
     * version.
     */
    private record Screened(
            HeldOutSet suite, Map<String, Integer> skipped, Map<String, String> detail) {}

    /** The synthetic suite of these sizes. */
    public HeldOutSuite(SuiteConfig config, int bootstrapResamples, Path cacheDir) {
        this(
                "synthetic",
                () -> {
                    SuiteScreening.Screened screened =
                            SuiteScreening.screen(Suite.build(SceneGenerator.standard(), config));
                    return new Screened(screened.suite(), screened.skipped(), Map.of());
                },
                () -> false,
                bootstrapResamples,
                cacheDir);
    }

    /**
     * The suite built from a COCO-format set: the instances JSON and the folder its file names are
     * relative to. Bad input (a missing image, an unknown category id, a malformed polygon or RLE,
     * too few annotated images) fails {@link #suite()} with a {@link SuiteUnavailable} saying what
     * is wrong, at every use until it is fixed.
     */
    public static HeldOutSuite coco(
            Path annotations,
            Path images,
            CocoSuiteConfig config,
            int bootstrapResamples,
            Path cacheDir) {
        return new HeldOutSuite(
                "coco",
                () -> {
                    CocoSuite s = CocoSuiteBuilder.build(annotations, images, config);
                    LOG.infof("COCO suite %s from %s: %s", s.id(), annotations, s.sizes());
                    return new Screened(s, Map.of(), Map.of("annotations", annotations.toString()));
                },
                () -> false,
                bootstrapResamples,
                cacheDir);
    }

    /**
     * The suite built from the stream's held-out split ({@link StreamSuiteSource}), versioned by
     * the offsets it covers; {@link #refresh()} builds the next version once the split has grown by
     * the source's configured number of images. An empty or unusable split fails {@link #suite()}
     * with a {@link SuiteUnavailable}.
     */
    public static HeldOutSuite stream(
            StreamSuiteSource source, int bootstrapResamples, Path cacheDir) {
        return new HeldOutSuite(
                "stream",
                () -> {
                    StreamSuiteSource.Built b = source.build();
                    LOG.infof(
                            "held-out suite %s from the stream, offsets %s: %s, left out %s",
                            b.suite().id(),
                            b.covers().describeOffsets(),
                            b.suite().sizes(),
                            b.skipped());
                    return new Screened(b.suite(), Map.of(), source.describe(b));
                },
                source::hasNewVersion,
                bootstrapResamples,
                cacheDir);
    }

    private HeldOutSuite(
            String source,
            Supplier<Screened> build,
            BooleanSupplier newVersion,
            int bootstrapResamples,
            Path cacheDir) {
        this.source = source;
        this.build = build;
        this.newVersion = newVersion;
        Bootstrap.Options b = Bootstrap.Options.defaults();
        this.options =
                new SuiteRunner.Options(
                        SuiteRunner.Options.defaults().batchSize(),
                        SuiteRunner.Options.defaults().mmvp(),
                        new Bootstrap.Options(bootstrapResamples, b.level(), b.seed()));
        this.cacheDir = cacheDir;
    }

    /**
     * The suite, built on first use (seconds for the test sizes, about a minute for the defaults),
     * without the images it cannot use ({@link SuiteScreening}).
     */
    public HeldOutSet suite() {
        HeldOutSet s = suite;
        if (s == null) {
            synchronized (this) {
                if (suite == null) {
                    install(buildOrFail());
                }
                s = suite;
            }
        }
        return s;
    }

    /** Builds; a failure is built again at the next use: fixing the files needs no restart. */
    private Screened buildOrFail() {
        try {
            return build.get();
        } catch (RuntimeException e) {
            throw new SuiteUnavailable("the held-out suite cannot be built: " + e.getMessage(), e);
        }
    }

    private void install(Screened screened) {
        if (!screened.skipped().isEmpty()) {
            LOG.warnf("suite %s: images left out %s", screened.suite().id(), screened.skipped());
        }
        skippedImages = screened.skipped();
        detail = screened.detail();
        suite = screened.suite();
    }

    /**
     * Builds the source's next version when it has one (the stream's split has grown by the
     * configured number of images; a synthetic or COCO suite is fixed for a configuration). The
     * current version stays when the next cannot be built.
     *
     * @return whether the suite id changed
     * @throws SuiteUnavailable when no version exists and none can be built
     */
    public synchronized boolean refresh() {
        if (suite == null) {
            suite();
            return true;
        }
        String before = suite.id();
        if (!newVersion.getAsBoolean()) {
            return false;
        }
        install(buildOrFail());
        return !before.equals(suite.id());
    }

    /** The current version: id, source and what identifies it (the stream's offsets). */
    public SuiteVersion version() {
        HeldOutSet s = suite();
        return new SuiteVersion(s.id(), source, detail);
    }

    /** Images of the generated suite left out because they cannot be used, by reason. */
    public Map<String, Integer> skippedImages() {
        suite();
        return skippedImages;
    }

    public String id() {
        return suite().id();
    }

    /** A cached result for this artifact digest, if one exists. */
    public Optional<SuiteResult> cached(String sha256) {
        String key = id() + "/" + sha256;
        SuiteResult r = memory.get(key);
        if (r != null) {
            return Optional.of(r);
        }
        Path f = file(sha256);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            r = SuiteResult.fromJson(Files.readString(f));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // a torn or stale cache file is recomputed, never trusted
        }
        if (!r.outcomes().keySet().containsAll(SuiteRunner.outcomeKeys())) {
            return Optional.empty(); // written before the gate compared these items: rescored
        }
        memory.put(key, r);
        return Optional.of(r);
    }

    /**
     * The cached result, or runs the suite on the model {@code load} supplies (closed afterwards)
     * with its tokenizer, the classes prompted with {@code templates} ({@link
     * PromptedSuiteEncoder}), and caches it. The result's counts include the images left out
     * ({@code skipped_images.<set>.<reason>}) and the class prompts the tokenizer could not encode
     * ({@code class_prompts_left_out}, {@code classes_without_prompt}).
     */
    public SuiteResult score(
            String sha256,
            Supplier<ClipModel> load,
            Tokenizer tokenizer,
            PromptTemplates templates) {
        Optional<SuiteResult> hit = cached(sha256);
        if (hit.isPresent()) {
            return hit.get();
        }
        HeldOutSet s = suite();
        SuiteResult r;
        try (ClipModel model = load.get();
                ClipSuiteEncoder clip = new ClipSuiteEncoder(model, tokenizer)) {
            PromptedSuiteEncoder enc =
                    new PromptedSuiteEncoder(
                            clip, s.classPrompts(), s.classNames(), templates, tokenizer);
            r = withCounts(SuiteRunner.run(enc, s, options), enc);
        }
        store(sha256, r);
        return r;
    }

    private SuiteResult withCounts(SuiteResult r, PromptedSuiteEncoder enc) {
        Map<String, Integer> counts = new LinkedHashMap<>(r.counts());
        if (suite instanceof CocoSuite coco) {
            coco.sizes().forEach((k, n) -> counts.putIfAbsent("coco." + k, n));
        }
        skippedImages.forEach((why, n) -> counts.put("skipped_images." + why, n));
        counts.put("class_prompts_left_out", enc.promptsLeftOut());
        counts.put("classes_without_prompt", enc.classesWithoutPrompt());
        return r.withCounts(counts);
    }

    public int cachedCount() {
        return memory.size();
    }

    private void store(String sha256, SuiteResult r) {
        memory.put(id() + "/" + sha256, r);
        Path f = file(sha256);
        try {
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.writeString(tmp, r.toJson());
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metric cache " + f, e);
        }
    }

    private Path file(String sha256) {
        return cacheDir.resolve(id()).resolve(sha256.toLowerCase() + ".json");
    }
}
