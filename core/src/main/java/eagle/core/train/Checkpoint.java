package eagle.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A training checkpoint: everything a resumed run needs to continue the same trajectory.
 *
 * <pre>
 *   DIR/model.safetensors      the encoder's weights (CLIP names)
 *   DIR/optimizer.safetensors  optimizer state (moments, GaLore bases, step) and the loss parameters
 *   DIR/trainer.json           step, the sampler's random state, the training config, caller's fields
 * </pre>
 *
 * <p>{@link #save} writes a sibling folder and renames it into place, so a crash leaves either the
 * old checkpoint or the new one, never a mix.
 */
public final class Checkpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "model.safetensors";
    private static final String OPTIMIZER = "optimizer.safetensors";
    private static final String TRAINER = "trainer.json";
    private static final String LOSS_PREFIX = "loss_parameter.";

    /** What {@link #restore} hands back besides the restored trainer. */
    public record State(int step, long samplerState, Map<String, String> extra) {}

    private Checkpoint() {}

    /**
     * Saves the trainer's state atomically into {@code dir}.
     *
     * @param samplerState the class-balanced sampler's random state ({@link
     *     ClassBalancedSampler#randomState()})
     * @param extra caller's fields (for example consumed offsets), stored as strings
     */
    public static void save(
            Path dir, EagleTrainer trainer, long samplerState, Map<String, String> extra)
            throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve(dir.getFileName() + ".staging");
        deleteRecursively(staging);
        Files.createDirectories(staging);

        trainer.model().save(staging.resolve(MODEL));
        Map<String, NDArray> state = new LinkedHashMap<>(trainer.optimizer().stateTensors());
        trainer.lossParameters().forEach((name, array) -> state.put(LOSS_PREFIX + name, array));
        Safetensors.write(staging.resolve(OPTIMIZER), state, Map.of());

        ObjectNode meta = JSON.createObjectNode();
        meta.put("step", trainer.stepCount());
        meta.put("samplerState", samplerState);
        meta.set("config", JSON.valueToTree(trainer.config()));
        meta.set("extra", JSON.valueToTree(extra));
        JSON.writerWithDefaultPrettyPrinter().writeValue(staging.resolve(TRAINER).toFile(), meta);

        Path old = parent.resolve(dir.getFileName() + ".old");
        deleteRecursively(old);
        if (Files.exists(dir)) {
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(old);
    }

    /**
     * Whether {@code dir} holds a complete checkpoint (or a completed save awaiting its final
     * rename).
     */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(TRAINER))
                || Files.isRegularFile(oldOf(dir).resolve(TRAINER));
    }

    /**
     * Loads a checkpoint into a trainer built with the same model config and training config:
     * weights, loss parameters and optimizer state are replaced in place.
     *
     * @throws IllegalArgumentException when the checkpoint does not match the trainer
     */
    public static State restore(Path dir, EagleTrainer trainer) throws IOException {
        if (!Files.isRegularFile(dir.resolve(TRAINER))
                && Files.isRegularFile(oldOf(dir).resolve(TRAINER))) {
            dir = oldOf(dir); // crashed between the two renames of save(): the old one is whole
        }
        var meta = JSON.readTree(dir.resolve(TRAINER).toFile());
        trainer.model().load(dir.resolve(MODEL));
        try (NDManager scratch = NDManager.newBaseManager(trainer.model().device())) {
            Map<String, NDArray> stored = Safetensors.read(dir.resolve(OPTIMIZER), scratch);
            Map<String, NDArray> optimizerState = new LinkedHashMap<>();
            Map<String, NDArray> lossParameters = trainer.lossParameters();
            for (Map.Entry<String, NDArray> e : stored.entrySet()) {
                if (e.getKey().startsWith(LOSS_PREFIX)) {
                    String name = e.getKey().substring(LOSS_PREFIX.length());
                    NDArray target = lossParameters.get(name);
                    if (target == null) {
                        throw new IllegalArgumentException(
                                dir + " has an unknown loss parameter " + name);
                    }
                    target.set(e.getValue().toType(target.getDataType(), false).toFloatArray());
                } else {
                    optimizerState.put(e.getKey(), e.getValue());
                }
            }
            trainer.optimizer().loadState(optimizerState);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        meta.path("extra")
                .fields()
                .forEachRemaining(f -> extra.put(f.getKey(), f.getValue().asText()));
        return new State(meta.path("step").asInt(), meta.path("samplerState").asLong(), extra);
    }

    private static Path oldOf(Path dir) {
        return dir.toAbsolutePath().getParent().resolve(dir.getFileName() + ".old");
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
