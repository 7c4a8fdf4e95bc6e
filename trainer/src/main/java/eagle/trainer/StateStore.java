package eagle.trainer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The trainer's folder:
 *
 * <pre>
 *   STATE_DIR/state.json             DurableState between rounds (atomic rename)
 *   STATE_DIR/checkpoint/            core Checkpoint of the round in progress, RoundState in its extra
 *   STATE_DIR/weights/SHA.safetensors starting weights by digest (the base, downloaded production)
 *   STATE_DIR/candidates/round-N/    model.safetensors + candidate.json (+ accepted.json once registered)
 * </pre>
 */
public final class StateStore {

    static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path root;

    public StateStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
        Files.createDirectories(weightsDir());
        Files.createDirectories(candidatesDir());
    }

    public Path root() {
        return root;
    }

    public Path checkpointDir() {
        return root.resolve("checkpoint");
    }

    public Path weightsDir() {
        return root.resolve("weights");
    }

    public Path candidatesDir() {
        return root.resolve("candidates");
    }

    public Path weights(String sha256) {
        return weightsDir().resolve(sha256 + ".safetensors");
    }

    public Path candidateDir(int round) {
        return candidatesDir().resolve(String.format("round-%06d", round));
    }

    public Optional<DurableState> readState() throws IOException {
        Path file = root.resolve("state.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), DurableState.class));
    }

    public void writeState(DurableState state) throws IOException {
        writeAtomically(root.resolve("state.json"), JSON.writeValueAsBytes(state));
    }

    /**
     * The round state stored in the checkpoint's {@code trainer.json} (or in the {@code .old}
     * folder a crash between core Checkpoint's two renames leaves), read without touching the
     * weights.
     */
    public Optional<RoundState> readRoundState() throws IOException {
        Path dir = checkpointDir();
        Path meta = dir.resolve("trainer.json");
        if (!Files.isRegularFile(meta)) {
            meta = dir.resolveSibling(dir.getFileName() + ".old").resolve("trainer.json");
        }
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        JsonNode extra = JSON.readTree(meta.toFile()).path("extra").path(RoundState.EXTRA_KEY);
        if (extra.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(extra.asText(), RoundState.class));
    }

    /** The record of round {@code round}'s failure on its data, if it failed. */
    public Optional<FailedRound> readFailure(int round) throws IOException {
        Path file = failureFile(round);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), FailedRound.class));
    }

    public void writeFailure(FailedRound failure) throws IOException {
        Files.createDirectories(failureFile(failure.round()).getParent());
        writeAtomically(failureFile(failure.round()), JSON.writeValueAsBytes(failure));
    }

    private Path failureFile(int round) {
        return root.resolve("failed-rounds").resolve(String.format("round-%06d.json", round));
    }

    public void deleteCheckpoint() throws IOException {
        deleteRecursively(checkpointDir());
        deleteRecursively(checkpointDir().resolveSibling("checkpoint.old"));
        deleteRecursively(checkpointDir().resolveSibling("checkpoint.staging"));
    }

    /**
     * Writes bytes to a sibling temporary file, forces them to disk and renames it over {@code
     * file}.
     */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch =
                FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void deleteRecursively(Path path) throws IOException {
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
