package eagle.evaluator.service;

import eagle.core.eval.Bootstrap;
import eagle.core.model.ClipModel;
import eagle.core.text.PromptTemplates;
import eagle.core.text.Tokenizer;
import eagle.scenes.SceneGenerator;
import eagle.scenes.experiment.ClipSuiteEncoder;
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
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The held-out suite (built once from the standard scene generator and a {@link SuiteConfig}) and a cache of
 * results per (artifact sha256, suite id), on disk under {@code cacheDir/<suite id>/<sha256>.json}, so the
 * baseline and the base are scored once per suite and not at every candidate.
 */
public final class HeldOutSuite {

    private static final Logger LOG = Logger.getLogger(HeldOutSuite.class);

    private final SuiteConfig config;
    private final SuiteRunner.Options options;
    private final Path cacheDir;
    private final ConcurrentHashMap<String, SuiteResult> memory = new ConcurrentHashMap<>();
    private volatile Suite suite;
    private volatile Map<String, Integer> skippedImages = Map.of();

    public HeldOutSuite(SuiteConfig config, int bootstrapResamples, Path cacheDir) {
        this.config = config;
        Bootstrap.Options b = Bootstrap.Options.defaults();
        this.options = new SuiteRunner.Options(SuiteRunner.Options.defaults().batchSize(),
                SuiteRunner.Options.defaults().mmvp(), new Bootstrap.Options(bootstrapResamples, b.level(), b.seed()));
        this.cacheDir = cacheDir;
    }

    /**
     * The suite, built on first use (seconds for the test sizes, about a minute for the defaults), without the
     * images it cannot use ({@link SuiteScreening}).
     */
    public Suite suite() {
        Suite s = suite;
        if (s == null) {
            synchronized (this) {
                if (suite == null) {
                    SuiteScreening.Screened screened = SuiteScreening.screen(Suite.build(SceneGenerator.standard(), config));
                    if (screened.skippedTotal() > 0) {
                        LOG.warnf("suite %s: %d images left out %s", screened.suite().id(), screened.skippedTotal(),
                                screened.skipped());
                    }
                    skippedImages = screened.skipped();
                    suite = screened.suite();
                }
                s = suite;
            }
        }
        return s;
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
        memory.put(key, r);
        return Optional.of(r);
    }

    /**
     * The cached result, or runs the suite on the model {@code load} supplies (closed afterwards) with its
     * tokenizer, the classes prompted with {@code templates} ({@link PromptedSuiteEncoder}), and caches it. The
     * result's counts include the images left out ({@code skipped_images.<set>.<reason>}) and the class prompts
     * the tokenizer could not encode ({@code class_prompts_left_out}, {@code classes_without_prompt}).
     */
    public SuiteResult score(String sha256, Supplier<ClipModel> load, Tokenizer tokenizer, PromptTemplates templates) {
        Optional<SuiteResult> hit = cached(sha256);
        if (hit.isPresent()) {
            return hit.get();
        }
        Suite s = suite();
        SuiteResult r;
        try (ClipModel model = load.get(); ClipSuiteEncoder clip = new ClipSuiteEncoder(model, tokenizer)) {
            PromptedSuiteEncoder enc = new PromptedSuiteEncoder(clip, s.taxonomy().prompts(), s.taxonomy().names(),
                    templates, tokenizer);
            r = withCounts(SuiteRunner.run(enc, s, options), enc);
        }
        store(sha256, r);
        return r;
    }

    private SuiteResult withCounts(SuiteResult r, PromptedSuiteEncoder enc) {
        Map<String, Integer> counts = new LinkedHashMap<>(r.counts());
        skippedImages.forEach((why, n) -> counts.put("skipped_images." + why, n));
        counts.put("class_prompts_left_out", enc.promptsLeftOut());
        counts.put("classes_without_prompt", enc.classesWithoutPrompt());
        return new SuiteResult(r.suiteId(), r.zeroshotCls(), r.zeroshotSeq(), r.pope(), r.mmvpPairAccuracy(),
                r.mmvpByKind(), r.mmvpRepresentation(), r.threshold(), r.calibrationAccuracy(), r.ci(), counts,
                r.bootstrap());
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
