package eagle.trainer;

import eagle.client.Sha256;
import eagle.core.train.EagleTrainer;
import eagle.core.train.StepLosses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Writes a round's candidate: {@code STATE/candidates/round-N/} with {@code model.safetensors} (the
 * parent encoder's metadata, so the candidate describes itself as its parent does, plus {@code
 * eagle.round}) and {@code candidate.json}, staged in a sibling folder and renamed into place.
 */
final class CandidateWriter {

    private static final Logger LOG = Logger.getLogger(CandidateWriter.class);

    private final TrainerSettings settings;
    private final StateStore store;
    private final String device;

    CandidateWriter(TrainerSettings settings, StateStore store, String device) {
        this.settings = settings;
        this.store = store;
        this.device = device;
    }

    /** Whether round {@code round}'s candidate is on disk already (written before a crash). */
    boolean written(int round) {
        return Files.isRegularFile(store.candidateDir(round).resolve(Candidate.META));
    }

    void write(
            RoundState rs,
            EagleTrainer trainer,
            ParentEncoder encoder,
            List<StepLosses> losses,
            Set<String> classes)
            throws IOException {
        if (written(rs.round())) {
            return;
        }
        Path dir = store.candidateDir(rs.round());
        Path staging = dir.resolveSibling(dir.getFileName() + ".staging");
        StateStore.deleteRecursively(staging);
        Files.createDirectories(staging);
        Map<String, String> metadata = new HashMap<>(encoder.spec().metadata());
        metadata.put("eagle.round", String.valueOf(rs.round()));
        trainer.model().save(staging.resolve(Candidate.MODEL), metadata);
        String sha = Sha256.of(staging.resolve(Candidate.MODEL));
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("training", StateStore.JSON.convertValue(trainer.config(), Map.class));
        hyper.put("promptTemplates", encoder.prompts().templates());
        hyper.put("minSamples", settings.minSamples());
        hyper.put("minClasses", settings.minClasses());
        hyper.put("bufferCapacity", settings.bufferCapacity());
        hyper.put("classes", List.copyOf(classes));
        Candidate c =
                new Candidate(
                        rs.round(),
                        sha,
                        rs.parentSha256(),
                        rs.parentVersion(),
                        hyper,
                        losses,
                        rs.manifest(),
                        Candidate.manifestHash(rs.manifest()),
                        device,
                        Instant.now().toString());
        StateStore.writeAtomically(
                staging.resolve(Candidate.META), StateStore.JSON.writeValueAsBytes(c));
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        LOG.infof(
                "round %d candidate %s written to %s (manifest %s)",
                rs.round(), sha.substring(0, 12), dir, c.manifestSha256().substring(0, 12));
    }
}
