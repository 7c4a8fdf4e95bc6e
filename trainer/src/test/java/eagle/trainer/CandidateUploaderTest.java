package eagle.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry that is down: the candidate stays on disk and the uploader keeps retrying with backoff. */
class CandidateUploaderTest {

    @TempDir
    Path dir;

    @Test
    void aRegistryThatIsDownIsRetriedAndTheCandidateKept() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed again: nothing listens there
        }
        Map<String, String> config = Map.of(
                // required by the settings; nothing is published here (the registry never takes the upload)
                "kafka.bootstrap.servers", "localhost:" + deadPort,
                "eagle.trainer.state-dir", dir.resolve("state").toString(),
                "eagle.trainer.registry.url", "http://localhost:" + deadPort,
                "eagle.trainer.registry.backoff-ms", "20",
                "eagle.trainer.registry.backoff-max-ms", "80");
        TrainerSettings settings = TrainerSettings.from(config);
        StateStore store = new StateStore(settings.stateDir());
        TestWorld.writeBase(dir.resolve("base"));
        Path candidate = store.candidateDir(1);
        Files.createDirectories(candidate);
        Files.copy(dir.resolve("base/model.safetensors"), candidate.resolve(Candidate.MODEL));
        List<OffsetRange> manifest = List.of(new OffsetRange("t", 0, 0, 3));
        Candidate c = new Candidate(1, RegistryClient.sha256Of(candidate.resolve(Candidate.MODEL)), "00".repeat(32), 1,
                Map.of(), List.of(), manifest, Candidate.manifestHash(manifest), "cpu()", "2026-01-01T00:00:00Z");
        Files.write(candidate.resolve(Candidate.META), StateStore.JSON.writeValueAsBytes(c));

        CandidateUploader uploader = new CandidateUploader(settings, store,
                new RegistryClient(settings.registryUrl().orElseThrow(), "", settings.modelName()));
        Thread t = new Thread(uploader);
        t.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> uploader.attempts() >= 4);
        } finally {
            uploader.stop();
            t.join(10_000);
        }
        assertEquals(List.of(candidate), uploader.pending());
        assertTrue(Files.isRegularFile(candidate.resolve(Candidate.MODEL)));
        assertFalse(Files.exists(candidate.resolve(Candidate.ACCEPTED)));
        assertFalse(Files.exists(candidate.resolve(Candidate.REJECTED)), "an unreachable registry is not a refusal");
    }

    @Test
    void theManifestHashIsTheSha256OfItsSortedCanonicalJson() {
        List<OffsetRange> m = List.of(new OffsetRange("t", 1, 0, 3), new OffsetRange("t", 0, 2, 4));
        String json = "[{\"topic\":\"t\",\"partition\":0,\"fromOffset\":2,\"untilOffset\":4},"
                + "{\"topic\":\"t\",\"partition\":1,\"fromOffset\":0,\"untilOffset\":3}]";
        assertEquals(eagle.contracts.AnnotationEvent.sha256Hex(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Candidate.manifestHash(m));
    }
}
