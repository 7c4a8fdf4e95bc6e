package eagle.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeRegistry registry;
    private RegistryClient client;

    @TempDir Path dir;

    @BeforeEach
    void start() throws IOException {
        registry = new FakeRegistry();
        client = new RegistryClient(registry.url() + "/", "secret", Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void readsAVersionAndSendsTheToken() {
        registry.json(
                "GET /api/v1/models/eagle/versions/3",
                200,
                """
                {"model":"eagle","version":3,"parentVersion":1,"sha256":"ab","sizeBytes":12,"format":"safetensors",
                 "architecture":{"family":"openai-clip"},"status":"READY","createdAt":"2026-01-01T00:00:00Z"}""");
        Version v = client.version("eagle", 3);
        assertEquals(3, v.version());
        assertEquals(1, v.parentVersion());
        assertEquals("ab", v.sha256());
        assertEquals(12, v.sizeBytes());
        assertEquals("openai-clip", v.architecture().path("family").asText());
        assertTrue(v.ready());
        assertEquals("Bearer secret", registry.received.get(0).authorization());

        registry.json(
                "GET /api/v1/models/eagle/versions/4",
                200,
                """
                {"model":"eagle","version":4,"parentVersion":null,"sha256":"cd","sizeBytes":1,"status":"PENDING_UPLOAD"}""");
        Version pending = client.version("eagle", 4);
        assertFalse(pending.ready());
        assertNull(pending.parentVersion());
    }

    @Test
    void listsVersions() {
        assertEquals(List.of(), client.versions("eagle"), "no model yet: no versions");
        registry.json(
                "GET /api/v1/models/eagle/versions",
                200,
                """
                [{"model":"eagle","version":1,"sha256":"aa","status":"READY"},
                 {"model":"eagle","version":2,"parentVersion":1,"sha256":"bb","status":"PENDING_UPLOAD"}]""");
        List<Version> all = client.versions("eagle");
        assertEquals(List.of(1, 2), all.stream().map(Version::version).toList());
        assertTrue(all.get(0).ready());
        assertEquals(1, all.get(1).parentVersion());
    }

    @Test
    void productionIsEmptyUntilTheAliasExists() {
        assertEquals(Optional.empty(), client.production("eagle"));
        registry.json(
                "GET /api/v1/models/eagle/aliases/production",
                200,
                """
                {"model":"eagle","alias":"production","version":2,"sha256":"ff","historyId":7,"evaluationId":"e-1"}""");
        AliasTarget t = client.production("eagle").orElseThrow();
        assertEquals(new AliasTarget("eagle", "production", 2, "ff", "e-1"), t);
    }

    @Test
    void readsHistoryAndEvaluations() {
        assertEquals(List.of(), client.history("eagle", "production"), "no alias yet: no history");
        registry.json(
                "GET /api/v1/models/eagle/aliases/production/history",
                200,
                """
                [{"id":1,"from":null,"to":1,"action":"MOVE","reason":"first"},
                 {"id":2,"from":1,"to":2,"action":"MOVE","reason":"better","evaluationId":"e-2"}]""");
        List<AliasHistoryEntry> h = client.history("eagle", "production");
        assertEquals(2, h.size());
        assertNull(h.get(0).from());
        assertEquals(1, h.get(1).from());
        assertEquals("e-2", h.get(1).evaluationId());

        registry.json(
                "GET /api/v1/models/eagle/versions/2/evaluations",
                200,
                """
                [{"id":"e-2","version":2,"suiteId":"s","baselineVersion":1,"passed":true,
                  "thresholds":{"_gate":{"purpose":"drift"}},"createdAt":"t"},
                 {"id":"e-3","version":2,"suiteId":"s","passed":false}]""");
        List<Evaluation> evals = client.evaluations("eagle", 2);
        assertTrue(evals.get(0).passed());
        assertEquals("drift", evals.get(0).purpose());
        assertEquals(1, evals.get(0).baselineVersion());
        assertFalse(evals.get(1).passed());
        assertEquals("candidate", evals.get(1).purpose());
        assertNull(evals.get(1).baselineVersion());
    }

    @Test
    void registersAndUploadsWithTheFilesDigest() throws Exception {
        Path file = Files.writeString(dir.resolve("model.safetensors"), "weights");
        String sha = Sha256.of("weights".getBytes(StandardCharsets.UTF_8));
        registry.json(
                "POST /api/v1/models",
                409,
                "{\"status\":409,\"code\":\"MODEL_EXISTS\",\"reason\":\"exists\"}");
        registry.json(
                "POST /api/v1/models/eagle/versions",
                201,
                "{\"version\":5,\"sha256\":\"" + sha + "\",\"status\":\"PENDING_UPLOAD\"}");
        registry.json(
                "PUT /api/v1/models/eagle/versions/5/artifact",
                200,
                "{\"version\":5,\"status\":\"READY\"}");

        client.createModel("eagle", "an existing model is fine");
        Registration r =
                client.registerAndUpload("eagle", 4, file, Map.of("family", "openai-clip"), null);

        assertEquals(new Registration(5, sha, true), r);
        JsonNode sent = JSON.readTree(registry.received.get(1).text());
        assertEquals(sha, sent.get("sha256").asText());
        assertEquals(7, sent.get("sizeBytes").asLong());
        assertEquals(4, sent.get("parentVersion").asInt());
        assertEquals("openai-clip", sent.get("architecture").get("family").asText());
        assertFalse(sent.has("trainingRun"));
        assertArrayEquals(
                "weights".getBytes(StandardCharsets.UTF_8), registry.received.get(2).body());
    }

    @Test
    void anAlreadyStoredVersionIsNotUploadedAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("model.safetensors"), "weights");
        registry.json(
                "POST /api/v1/models/eagle/versions", 200, "{\"version\":5,\"status\":\"READY\"}");
        assertTrue(client.registerAndUpload("eagle", null, file, Map.of(), null).ready());
        assertEquals(1, registry.received.size());
    }

    @Test
    void aRefusalCarriesTheRegistrysCodeAndReason() {
        registry.json(
                "PUT /api/v1/models/eagle/aliases/production?ifCurrentVersion=none",
                409,
                "{\"status\":409,\"code\":\"ALIAS_CHANGED\",\"reason\":\"production points at 3 now\"}");
        RegistryRefusedException e =
                assertThrows(
                        RegistryRefusedException.class,
                        () -> client.moveAlias("eagle", "production", 4, null, "better", "e-4"));
        assertEquals(409, e.status());
        assertEquals("ALIAS_CHANGED", e.code());
        assertEquals("production points at 3 now", e.reason());
        assertTrue(e.getMessage().contains("production points at 3 now"), e.getMessage());

        RegistryRefusedException missing =
                assertThrows(RegistryRefusedException.class, () -> client.version("eagle", 99));
        assertTrue(missing.notFound());

        registry.answer(
                "GET /api/v1/models/eagle/versions/98",
                new FakeRegistry.Answer(
                        403, "text/plain", "forbidden here".getBytes(StandardCharsets.UTF_8)));
        RegistryRefusedException plain =
                assertThrows(RegistryRefusedException.class, () -> client.version("eagle", 98));
        assertEquals("HTTP_403", plain.code());
        assertEquals("forbidden here", plain.reason());
    }

    @Test
    void movesAndRollsBackAliases() throws Exception {
        registry.json(
                "PUT /api/v1/models/eagle/aliases/production?ifCurrentVersion=3",
                200,
                "{\"version\":4,\"sha256\":\"aa\",\"evaluationId\":\"e-4\"}");
        registry.json(
                "POST /api/v1/models/eagle/aliases/production/rollback",
                200,
                "{\"version\":3,\"sha256\":\"bb\"}");
        assertEquals(4, client.moveAlias("eagle", "production", 4, 3, "better", "e-4").version());
        JsonNode moved = JSON.readTree(registry.received.get(0).text());
        assertEquals("e-4", moved.get("evaluationId").asText());
        AliasTarget back = client.rollback("eagle", "production", "drift", null);
        assertEquals(3, back.version());
        assertFalse(JSON.readTree(registry.received.get(1).text()).has("toVersion"));
    }

    @Test
    void recordsAnEvaluation() throws Exception {
        registry.json("POST /api/v1/models/eagle/versions/2/evaluations", 201, "{\"id\":\"e-9\"}");
        assertEquals(
                "e-9", client.recordEvaluation("eagle", 2, Map.of("suiteId", "s", "passed", true)));
        assertEquals("s", JSON.readTree(registry.received.get(0).text()).get("suiteId").asText());
    }

    @Test
    void aServerErrorIsUnavailable() {
        registry.json(
                "GET /api/v1/models/eagle/versions/1",
                503,
                "{\"status\":503,\"code\":\"STORE_DOWN\",\"reason\":\"blob store unreachable\"}");
        RegistryUnavailableException e =
                assertThrows(RegistryUnavailableException.class, () -> client.version("eagle", 1));
        assertTrue(e.getMessage().contains("blob store unreachable"), e.getMessage());
    }

    @Test
    void aClosedPortIsUnavailable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RegistryClient nobody =
                new RegistryClient("http://127.0.0.1:" + port, null, Duration.ofSeconds(2));
        assertThrows(RegistryUnavailableException.class, () -> nobody.version("eagle", 1));
        assertThrows(RegistryUnavailableException.class, () -> nobody.production("eagle"));
    }

    @Test
    void aDownloadIsVerifiedAgainstItsDigest() throws IOException {
        byte[] bytes = "the weights".getBytes(StandardCharsets.UTF_8);
        registry.answer(
                "GET /api/v1/models/eagle/versions/1/artifact",
                new FakeRegistry.Answer(200, "application/octet-stream", bytes));
        Path target = dir.resolve("cache/v1.safetensors");
        client.download("eagle", 1, Sha256.of(bytes), target);
        assertArrayEquals(bytes, Files.readAllBytes(target));
        try (InputStream in = client.openArtifact("eagle", 1)) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
    }

    @Test
    void aDownloadThatDoesNotMatchItsDigestLeavesNothing() throws IOException {
        byte[] bytes = "tampered".getBytes(StandardCharsets.UTF_8);
        registry.answer(
                "GET /api/v1/models/eagle/versions/1/artifact",
                new FakeRegistry.Answer(200, "application/octet-stream", bytes));
        Path target = dir.resolve("v1.safetensors");
        String expected = Sha256.of("the weights".getBytes(StandardCharsets.UTF_8));
        DigestMismatchException e =
                assertThrows(
                        DigestMismatchException.class,
                        () -> client.download("eagle", 1, expected, target));
        assertEquals(expected, e.expected());
        assertEquals(Sha256.of(bytes), e.actual());
        assertFalse(Files.exists(target));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void aMissingArtifactIsRefusedAndNothingIsWritten() {
        registry.json(
                "GET /api/v1/models/eagle/versions/2/artifact",
                409,
                "{\"status\":409,\"code\":\"ARTIFACT_PENDING\",\"reason\":\"not uploaded yet\"}");
        Path target = dir.resolve("v2.safetensors");
        RegistryRefusedException e =
                assertThrows(
                        RegistryRefusedException.class,
                        () -> client.download("eagle", 2, "00", target));
        assertEquals("ARTIFACT_PENDING", e.code());
        assertFalse(Files.exists(target));
    }

    @Test
    void namesAreEscapedInPaths() {
        registry.json(
                "GET /api/v1/models/my%20model/versions/1",
                200, "{\"version\":1,\"status\":\"READY\"}");
        assertEquals("my model", client.version("my model", 1).model());
    }
}
