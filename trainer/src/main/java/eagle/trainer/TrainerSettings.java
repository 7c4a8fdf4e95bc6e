package eagle.trainer;

import eagle.contracts.Topics;
import eagle.core.optim.MomentPolicy;
import eagle.core.train.TrainingConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything the trainer is configured with, read once from {@code eagle.trainer.*} keys (Quarkus config
 * in the service, a properties file in the headless {@link TrainerMain}).
 *
 * @param bootstrapServers Kafka brokers
 * @param topic            the samples topic ({@link Topics#SAMPLES})
 * @param groupId          consumer group; committed offsets are a convenience, the checkpoint is the truth
 * @param candidatesTopic  where "a candidate exists" events go after the registry accepted one
 * @param stateDir         checkpoint, replay buffer, starting weights cache and candidates
 * @param blobRoot         root of the content-addressed image store ({@code root/sha[0:2]/sha})
 * @param baseDir          the embedded base encoder ({@code model.safetensors}, {@code tokenizer.json})
 * @param modelName        the model's name in the registry
 * @param registryUrl      registry base URL (…/api/v1 is appended); empty: candidates stay on disk
 * @param registryToken    bearer token with role {@code registry.register} (and {@code registry.read})
 * @param minSamples       a round starts when at least this many new valid samples arrived …
 * @param minClasses       … covering at least this many classes
 * @param bufferCapacity   images kept in the replay buffer, split evenly across the classes seen
 * @param checkpointEvery  steps between checkpoints inside a round (1: every step)
 * @param pollMillis       Kafka poll timeout
 * @param backoffMillis    first retry delay of registry calls (doubles up to {@code backoffMaxMillis})
 * @param backoffMaxMillis longest retry delay
 * @param training         hyper-parameters of each round (steps, batch, lr, rank, …)
 */
public record TrainerSettings(
        String bootstrapServers,
        String topic,
        String groupId,
        String candidatesTopic,
        Path stateDir,
        Path blobRoot,
        Path baseDir,
        String modelName,
        Optional<String> registryUrl,
        Optional<String> registryToken,
        int minSamples,
        int minClasses,
        int bufferCapacity,
        int checkpointEvery,
        long pollMillis,
        long backoffMillis,
        long backoffMaxMillis,
        TrainingConfig training) {

    public static final String PREFIX = "eagle.trainer.";
    public static final String CANDIDATES_TOPIC = "eagle.trainer.candidates.v1";

    public TrainerSettings {
        if (minSamples < 1 || minClasses < 1 || bufferCapacity < 0 || checkpointEvery < 1) {
            throw new IllegalArgumentException("invalid trainer settings: min-samples " + minSamples
                    + ", min-classes " + minClasses + ", buffer " + bufferCapacity + ", checkpoint-every "
                    + checkpointEvery);
        }
    }

    /**
     * Reads the settings from a key lookup ({@code eagle.trainer.} prefix added here, except for
     * {@code kafka.bootstrap.servers}, which has no default: a trainer must not guess its brokers).
     */
    public static TrainerSettings from(Function<String, Optional<String>> lookup) {
        Function<String, Optional<String>> own = key -> lookup.apply(PREFIX + key).filter(v -> !v.isBlank());
        int steps = Integer.parseInt(own.apply("round.steps").orElse("5"));
        TrainingConfig training = new TrainingConfig(
                own.apply("round.optimizer").orElse(TrainingConfig.GALORE),
                Double.parseDouble(own.apply("round.lr").orElse("1e-3")),
                Integer.parseInt(own.apply("round.warmup-steps").orElse(String.valueOf(Math.min(10, steps / 10)))),
                steps,
                0.1,
                0.0,
                Integer.parseInt(own.apply("round.rank").orElse("32")),
                Integer.parseInt(own.apply("round.galore-update-gap").orElse("200")),
                Double.parseDouble(own.apply("round.galore-scale").orElse("0.25")),
                MomentPolicy.KEEP,
                Float.parseFloat(own.apply("round.tau").orElse("0")),
                0f,
                Boolean.parseBoolean(own.apply("round.train-text").orElse("true")),
                Integer.parseInt(own.apply("round.batch").orElse("4")),
                own.apply("round.prompt").orElse("This is an image of a {c}"),
                Long.parseLong(own.apply("seed").orElse("42")));
        return new TrainerSettings(
                lookup.apply("kafka.bootstrap.servers").filter(v -> !v.isBlank()).orElseThrow(() ->
                        new IllegalArgumentException("kafka.bootstrap.servers is not set (the Kafka brokers the trainer reads"
                                + " samples from; env KAFKA_BOOTSTRAP_SERVERS in production)")),
                own.apply("topic").orElse(Topics.SAMPLES),
                own.apply("group-id").orElse("eagle-trainer"),
                own.apply("candidates-topic").orElse(CANDIDATES_TOPIC),
                Path.of(own.apply("state-dir").orElse(".eagle/trainer")),
                Path.of(own.apply("blob-root").orElse(".eagle/blobs")),
                Path.of(own.apply("base-dir").orElse("models/embedded-base")),
                own.apply("registry.model").orElse("eagle-encoder"),
                own.apply("registry.url"),
                own.apply("registry.token"),
                Integer.parseInt(own.apply("round.min-samples").orElse("8")),
                Integer.parseInt(own.apply("round.min-classes").orElse("2")),
                Integer.parseInt(own.apply("buffer.capacity").orElse("256")),
                Integer.parseInt(own.apply("round.checkpoint-every").orElse("1")),
                Long.parseLong(own.apply("poll-ms").orElse("200")),
                Long.parseLong(own.apply("registry.backoff-ms").orElse("500")),
                Long.parseLong(own.apply("registry.backoff-max-ms").orElse("30000")),
                training);
    }
}
