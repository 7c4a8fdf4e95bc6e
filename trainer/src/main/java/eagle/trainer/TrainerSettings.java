package eagle.trainer;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the trainer is configured with: the {@code eagle.trainer.*} keys, each default here or
 * in the {@code round.*} group's {@link RoundSettings} and nowhere else (the Quarkus service
 * injects this mapping; the headless {@link TrainerMain} builds it from a properties file with
 * {@link #from}). The keys are listed in trainer/README.md, "Configuration"; {@link #recipe} turns
 * the round keys into each round's TrainingConfig.
 */
@ConfigMapping(prefix = "eagle.trainer")
public interface TrainerSettings {

    String CANDIDATES_TOPIC = "eagle.trainer.candidates.v1";

    /** false: the service starts without an engine (status 503). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Kafka brokers: {@code kafka.bootstrap.servers}, which has no default (a trainer must not
     * guess its brokers; env KAFKA_BOOTSTRAP_SERVERS in production).
     */
    @WithName("bootstrap-servers")
    @WithDefault("${kafka.bootstrap.servers:}")
    Optional<String> kafkaBootstrapServers();

    /** the samples topic ({@code eagle.contracts.Topics#SAMPLES}) */
    @WithDefault("eagle.samples.v1")
    String topic();

    /** consumer group; committed offsets are a convenience, the checkpoint is the truth */
    @WithDefault("eagle-trainer")
    String groupId();

    /** where "a candidate exists" events go after the registry accepted one */
    @WithDefault(CANDIDATES_TOPIC)
    String candidatesTopic();

    /** checkpoint, replay buffer, starting weights cache, failed rounds and candidates */
    @WithDefault(".eagle/trainer")
    Path stateDir();

    /** root of the content-addressed image store ({@code root/sha[0:2]/sha}) */
    @WithDefault(".eagle/blobs")
    Path blobRoot();

    /** the embedded base encoder ({@code model.safetensors}, its EncoderSpec in the metadata) */
    @WithDefault("models/embedded-base")
    Path baseDir();

    /** Kafka poll timeout */
    @WithName("poll-ms")
    @WithDefault("200")
    long pollMillis();

    /** seed of the replay buffer and (plus the round number) of the class-balanced sampler */
    @WithDefault("42")
    long seed();

    Registry registry();

    RoundSettings round();

    Buffer buffer();

    Prompt prompt();

    /** The registry the candidates go to. */
    interface Registry {

        /** base URL (…/api/v1 is appended); empty: candidates stay on disk */
        Optional<String> url();

        /** bearer token with role {@code registry.register} (and {@code registry.read}) */
        Optional<String> token();

        /** the model's name in the registry */
        @WithDefault("eagle-encoder")
        String model();

        /** first retry delay of registry calls (doubles up to {@link #backoffMaxMillis}) */
        @WithName("backoff-ms")
        @WithDefault("500")
        long backoffMillis();

        @WithName("backoff-max-ms")
        @WithDefault("30000")
        long backoffMaxMillis();

        /**
         * connect and request timeout of each metadata call; a candidate's upload and the parent's
         * download may take 60 times as long (an EVA01-CLIP-g is several GB)
         */
        @WithDefault("10s")
        Duration timeout();
    }

    /** The replay buffer (docs/METHOD.md §4). */
    interface Buffer {

        /** images kept, split evenly across the classes seen */
        @WithDefault("256")
        int capacity();
    }

    /** Class prompts. */
    interface Prompt {

        /**
         * templates with {@code {c}} (or {@code {}}) where the class name goes; absent: the parent
         * encoder's own templates, else CLIP's default
         */
        Optional<List<String>> templates();
    }

    // ---- derived values ----

    default String bootstrapServers() {
        return kafkaBootstrapServers()
                .filter(v -> !v.isBlank())
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "kafka.bootstrap.servers is not set (the Kafka brokers the trainer reads samples from; env"
                                                + " KAFKA_BOOTSTRAP_SERVERS in production)"));
    }

    default String modelName() {
        return registry().model();
    }

    default Optional<String> registryUrl() {
        return registry().url().filter(v -> !v.isBlank());
    }

    default Optional<String> registryToken() {
        return registry().token().filter(v -> !v.isBlank());
    }

    default long backoffMillis() {
        return registry().backoffMillis();
    }

    default long backoffMaxMillis() {
        return registry().backoffMaxMillis();
    }

    default int minSamples() {
        return round().minSamples();
    }

    default int minClasses() {
        return round().minClasses();
    }

    default int checkpointEvery() {
        return round().checkpointEvery();
    }

    default int bufferCapacity() {
        return buffer().capacity();
    }

    /**
     * The recipe of each round, from {@code round.*} and {@code prompt.templates}: {@code
     * recipe().training()} is the embedded base's, a round with another parent asks {@code byScale}
     * for its own.
     */
    default RoundRecipe recipe() {
        return new RoundRecipe(round(), prompt().templates().orElse(List.of()), seed());
    }

    /** Refuses settings no round could run with. */
    default TrainerSettings validated() {
        bootstrapServers();
        if (minSamples() < 1
                || minClasses() < 1
                || bufferCapacity() < 0
                || checkpointEvery() < 1
                || !(round().minPatchArea() >= 0)) {
            throw new IllegalArgumentException(
                    "invalid trainer settings: min-samples "
                            + minSamples()
                            + ", min-classes "
                            + minClasses()
                            + ", buffer "
                            + bufferCapacity()
                            + ", checkpoint-every "
                            + checkpointEvery()
                            + ", min-patch-area "
                            + round().minPatchArea());
        }
        if (!(round().laterLrScale() > 0) || Double.isInfinite(round().laterLrScale())) {
            throw new IllegalArgumentException(
                    "round.later-lr-scale must be > 0, got " + round().laterLrScale());
        }
        recipe().training(); // TrainingConfig checks the recipe
        return this;
    }

    /**
     * The settings from plain properties (the service's keys; {@code kafka.bootstrap.servers} must
     * be among them), defaults from this mapping: the headless trainer and tests.
     */
    static TrainerSettings from(Map<String, String> properties) {
        SmallRyeConfig config =
                new SmallRyeConfigBuilder()
                        .addDefaultInterceptors() // expands ${kafka.bootstrap.servers:} as Quarkus
                        // does
                        .withSources(
                                new PropertiesConfigSource(properties, "trainer properties", 100))
                        // durations read as Quarkus reads them ("10s", "2m")
                        .withConverter(Duration.class, 100, new DurationConverter())
                        .withMapping(TrainerSettings.class)
                        .withValidateUnknown(false)
                        .build();
        return config.getConfigMapping(TrainerSettings.class).validated();
    }
}
