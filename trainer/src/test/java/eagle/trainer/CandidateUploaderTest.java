package eagle.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import eagle.client.RegistryClient;
import eagle.client.Sha256;
import eagle.contracts.OffsetRange;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that is down or failing: the candidate stays on disk and the uploader keeps retrying
 * with backoff; a registry that refuses it: the refusal is recorded and not retried.
 */
class CandidateUploaderTest {

    @TempDir Path dir;

    @Test
    void aRegistryThatIsDownIsRetriedAndTheCandidateKept() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed again: nothing listens there
        }
        TrainerSettings settings = settings(deadPort, "http://localhost:" + deadPort);
        StateStore store = new StateStore(settings.stateDir());
        Path candidate = writeCandidate(store);

        CandidateUploader uploader =
                new CandidateUploader(
                        settings,
                        store,
                        new RegistryClient(settings.registryUrl().orElseThrow(), null));
        runUntil(uploader, () -> uploader.attempts() >= 4);
        assertEquals(List.of(candidate), uploader.pending());
        assertTrue(Files.isRegularFile(candidate.resolve(Candidate.MODEL)));
        assertFalse(Files.exists(candidate.resolve(Candidate.ACCEPTED)));
        assertFalse(
                Files.exists(candidate.resolve(Candidate.REJECTED)),
                "an unreachable registry is not a refusal");
    }

    @Test
    void aRegistryAnswering5xxIsRetriedAndTheCandidateKept() throws Exception {
        HttpServer server =
                registryAnswering(
                        503, "{\"code\":\"STORAGE_DOWN\",\"reason\":\"object store unreachable\"}");
        try {
            TrainerSettings settings =
                    settings(
                            server.getAddress().getPort(),
                            "http://localhost:" + server.getAddress().getPort());
            StateStore store = new StateStore(settings.stateDir());
            Path candidate = writeCandidate(store);
            CandidateUploader uploader =
                    new CandidateUploader(
                            settings,
                            store,
                            new RegistryClient(settings.registryUrl().orElseThrow(), null));
            runUntil(uploader, () -> uploader.attempts() >= 3);
            assertEquals(List.of(candidate), uploader.pending());
            assertFalse(Files.exists(candidate.resolve(Candidate.ACCEPTED)));
            assertFalse(
                    Files.exists(candidate.resolve(Candidate.REJECTED)),
                    "a failing registry is not a refusal");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRefusalIsRecordedAndNotRetried() throws Exception {
        HttpServer server =
                registryAnswering(
                        403, "{\"code\":\"FORBIDDEN\",\"reason\":\"needs registry.register\"}");
        try {
            TrainerSettings settings =
                    settings(
                            server.getAddress().getPort(),
                            "http://localhost:" + server.getAddress().getPort());
            StateStore store = new StateStore(settings.stateDir());
            Path candidate = writeCandidate(store);
            CandidateUploader uploader =
                    new CandidateUploader(
                            settings,
                            store,
                            new RegistryClient(settings.registryUrl().orElseThrow(), null));
            runUntil(uploader, () -> Files.exists(candidate.resolve(Candidate.REJECTED)));
            assertEquals(0, uploader.attempts(), "a refusal is not an unavailable registry");
            assertEquals(List.of(), uploader.pending());
            assertFalse(Files.exists(candidate.resolve(Candidate.ACCEPTED)));
            assertTrue(Files.isRegularFile(candidate.resolve(Candidate.MODEL)));
            JsonNode rejected =
                    StateStore.JSON.readTree(candidate.resolve(Candidate.REJECTED).toFile());
            assertTrue(
                    rejected.path("reason").asText().contains("needs registry.register"),
                    rejected.toString());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theManifestHashIsTheSha256OfItsSortedCanonicalJson() {
        List<OffsetRange> m = List.of(OffsetRange.of("t", 1, 0, 3), OffsetRange.of("t", 0, 2, 4));
        String json =
                "[{\"topic\":\"t\",\"partition\":0,\"fromOffset\":2,\"untilOffset\":4},"
                        + "{\"topic\":\"t\",\"partition\":1,\"fromOffset\":0,\"untilOffset\":3}]";
        assertEquals(
                eagle.contracts.AnnotationEvent.sha256Hex(
                        json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Candidate.manifestHash(m));
    }

    private TrainerSettings settings(int kafkaPort, String registryUrl) {
        return TrainerSettings.from(
                Map.of(
                        // required by the settings; nothing is published here (the registry never
                        // takes the upload)
                        "kafka.bootstrap.servers",
                        "localhost:" + kafkaPort,
                        "eagle.trainer.state-dir",
                        dir.resolve("state").toString(),
                        "eagle.trainer.registry.url",
                        registryUrl,
                        "eagle.trainer.registry.backoff-ms",
                        "20",
                        "eagle.trainer.registry.backoff-max-ms",
                        "80"));
    }

    /** Round 1's candidate folder with the base's weights. */
    private Path writeCandidate(StateStore store) throws Exception {
        TestWorld.writeBase(dir.resolve("base"));
        Path candidate = store.candidateDir(1);
        Files.createDirectories(candidate);
        Files.copy(dir.resolve("base/model.safetensors"), candidate.resolve(Candidate.MODEL));
        List<OffsetRange> manifest = List.of(OffsetRange.of("t", 0, 0, 3));
        Candidate c =
                new Candidate(
                        1,
                        Sha256.of(candidate.resolve(Candidate.MODEL)),
                        "00".repeat(32),
                        1,
                        Map.of(),
                        List.of(),
                        manifest,
                        Candidate.manifestHash(manifest),
                        "cpu()",
                        "2026-01-01T00:00:00Z");
        Files.write(candidate.resolve(Candidate.META), StateStore.JSON.writeValueAsBytes(c));
        return candidate;
    }

    /** A registry stand-in that answers every request with {@code status} and {@code body}. */
    private static HttpServer registryAnswering(int status, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(status, bytes.length);
                    exchange.getResponseBody().write(bytes);
                    exchange.close();
                });
        server.start();
        return server;
    }

    private static void runUntil(
            CandidateUploader uploader, java.util.concurrent.Callable<Boolean> done)
            throws Exception {
        Thread t = new Thread(uploader);
        t.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(done);
        } finally {
            uploader.stop();
            t.join(10_000);
        }
    }
}
