package eagle.evaluator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The evaluator's configuration ({@code eagle.evaluator.*}). Every default lives here
 * ({@code @WithDefault}), except the registry URL, whose default sits beside its environment
 * variable in application.properties.
 */
@ConfigMapping(prefix = "eagle.evaluator")
public interface EvaluatorConfig {

    Registry registry();

    Suite suite();

    Recheck recheck();

    /**
     * Folder with the original base encoder: {@code model.safetensors}, its encoder spec in the
     * metadata.
     */
    @WithDefault("models/embedded-base")
    String baseDir();

    /** Working folder: downloaded artifacts, the metric cache, the reports. */
    @WithDefault("data/evaluator")
    String workDir();

    /** Base URL this service is reachable at; report links in the registry start with it. */
    @WithDefault("http://localhost:8084")
    String publicUrl();

    /**
     * Optional JSON file with the gate's thresholds (README: Evaluator); absent = {@code
     * GateConfig.defaults()}.
     */
    Optional<String> gateFile();

    /** Kafka consumer group of the registry-event listener. */
    @WithDefault("eagle-evaluator")
    String consumerGroup();

    /**
     * Whether the registry-event listener runs (off for tests that drive the pipeline directly).
     */
    @WithDefault("true")
    boolean listen();

    interface Registry {
        /** e.g. {@code http://localhost:8081} */
        String url();

        /** bearer token with registry.read, registry.evaluate and registry.alias */
        String token();

        @WithDefault("10s")
        Duration timeout();
    }

    /**
     * Sizes of the held-out suite ({@code SuiteConfig}); the defaults are {@code
     * SuiteConfig.defaults()}.
     */
    interface Suite {
        @WithDefault("2000")
        int zeroShotImages();

        @WithDefault("1000")
        int popeImages();

        @WithDefault("300")
        int calibrationImages();

        @WithDefault("50")
        int mmvpPairsPerKind();

        @WithDefault("5000")
        int statsScenes();

        /** bootstrap resamples of each confidence interval */
        @WithDefault("1000")
        int bootstrapResamples();

        /**
         * Where the held-out suite comes from: {@code synthetic} (the embedded generator, the sizes
         * above), {@code coco} (a COCO-format set, {@link #coco()}) or {@code stream} (the stream's
         * held-out split, {@link #stream()}); for coco and stream, mmvp-pairs-per-kind,
         * bootstrap-resamples and {@code coco.calibration-fraction}, {@code .min-instance-pixels}
         * and {@code .seed} apply.
         */
        @WithDefault("synthetic")
        String source();

        Coco coco();

        Stream stream();

        /**
         * What a suite too small for the gate's margins does: {@code warn} (said in the report and
         * the verdict reason, the verdict unchanged) or {@code block} (the metric's slice fails).
         */
        @WithDefault("warn")
        String precision();
    }

    /**
     * The stream's held-out split ({@code eagle.samples.heldout.v1}); used when {@code
     * source=stream}.
     */
    interface Stream {
        /** the platform's blob store, where ingest stores the images (ingest's eagle.blobs.dir) */
        @WithDefault("data/blobs")
        String blobsDir();

        /** a new suite version once this many images not in the current one are on the topic */
        @WithDefault("100")
        int growth();

        /** the longest one read of the topic to its end may take */
        @WithDefault("60s")
        Duration readTimeout();
    }

    /**
     * A COCO-format held-out set ({@code CocoSuiteConfig}); used when {@code suite.source=coco}.
     */
    interface Coco {
        /** the instances JSON (required for {@code source=coco}) */
        Optional<String> annotations();

        /** the folder its file_name fields are relative to; absent = the JSON's folder */
        Optional<String> images();

        /** share of the images (by a hash of the image id) that calibrate the POPE threshold */
        @WithDefault("0.2")
        double calibrationFraction();

        /** instances with fewer pixels give no zero-shot item (COCO's "small" is below 32²) */
        @WithDefault("1024")
        int minInstancePixels();

        /** fixes the POPE samplings and the split */
        @WithDefault("0")
        long seed();
    }

    interface Recheck {
        /** Quarkus scheduler period of the production re-check, or {@code off} */
        @WithDefault("off")
        String every();

        /**
         * the models whose production version is re-checked (absent: every model of the registry,
         * for the re-check on a new suite version)
         */
        Optional<List<String>> models();

        /**
         * How often to look for a new version of the held-out suite and re-check production on it
         * (SuiteRecheckSchedule), or {@code off}
         */
        @WithDefault("30s")
        String onNewSuite();
    }
}
