package eagle.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.contracts.AnnotationEvent;
import eagle.demo.AnnotationSource;
import eagle.demo.DestroyedEncoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The platform's main flow on the real broker and database, across the five service processes:
 * published annotations → samples → a trained candidate → evaluated and blessed → promoted → the
 * gateway serves its digest; then a destroyed candidate is rejected and production stays; then an
 * operator's forced rollback reaches a gateway client over server-sent events.
 */
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformEndToEndTest {

    private static final Duration FLOW = Duration.ofMinutes(8);
    private static Platform platform;
    private static int trained;

    @BeforeAll
    static void baseIsServed() {
        platform = Platform.get();
        PlatformFlow.awaitServed(platform, platform.baseVersion(), Duration.ofMinutes(4));
    }

    @Test
    @Order(1)
    void publishedAnnotationsBecomeAPromotedEncoderThatTheGatewayServes() throws Exception {
        int before = platform.newestVersion();
        Integer parent = platform.production();
        AnnotationSource.Published published = platform.publish(24, false);

        PlatformFlow.awaitSamples(platform, published, FLOW);
        JsonNode candidate = PlatformFlow.awaitNewVersion(platform, before, FLOW);
        int v = candidate.path("version").asInt();
        assertEquals(
                parent.intValue(), candidate.path("parentVersion").asInt(), candidate.toString());
        assertFalse(
                candidate.path("trainingRun").path("dataManifest").isEmpty(),
                "no data manifest: " + candidate);
        // a parent that itself came out of a round is trained on at round.later-lr-scale × the
        // rate (the platform's trainer runs at round.lr 1e-4; the default scale is 0.1)
        boolean parentFromARound =
                !platform.registry("/versions/" + parent).path("parentVersion").isNull();
        double later = Double.parseDouble(eagle.core.train.TrainingConfig.DEFAULT_LATER_LR_SCALE);
        assertEquals(
                parentFromARound ? 1e-4 * later : 1e-4,
                candidate
                        .path("trainingRun")
                        .path("parameters")
                        .path("training")
                        .path("lr")
                        .asDouble(),
                1e-12,
                candidate.path("trainingRun").path("parameters").toString());

        JsonNode evaluation = PlatformFlow.awaitEvaluation(platform, v, FLOW);
        assertTrue(
                evaluation.path("passed").asBoolean(),
                "the demo gate did not bless the trained candidate: " + evaluation);
        JsonNode served = PlatformFlow.awaitServed(platform, v, FLOW);
        assertEquals(candidate.path("sha256").asText(), served.path("sha256").asText());
        // the bytes the gateway hands out are the registered ones
        HttpResponse<byte[]> weights =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        platform.gatewayEncoderUrl() + "/weights"))
                                        .header(
                                                "Authorization",
                                                "Bearer " + Platform.GATEWAY_READ_TOKEN)
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, weights.statusCode());
        assertEquals(candidate.path("sha256").asText(), AnnotationEvent.sha256Hex(weights.body()));
        trained = v;
    }

    @Test
    @Order(2)
    void aDestroyedCandidateIsRejectedAndProductionStays() throws Exception {
        int production = platform.production();
        Path destroyed =
                DestroyedEncoder.write(
                        platform.root.resolve("models/embedded-base/model.safetensors"),
                        platform.dir.resolve("destroyed.safetensors"),
                        7);
        int bad = platform.registerVersion(destroyed, production);

        JsonNode evaluation = PlatformFlow.awaitEvaluation(platform, bad, FLOW);
        assertFalse(
                evaluation.path("passed").asBoolean(),
                "a randomly re-initialised encoder was blessed: " + evaluation);
        assertEquals(production, platform.production().intValue());
        JsonNode served = platform.served();
        assertNotNull(served);
        assertEquals(production, served.path("version").asInt());
        // asked for by number, the unblessed version is refused by the gateway
        HttpResponse<String> r =
                Platform.send(
                        "GET",
                        platform.gatewayEncoderUrl() + "/versions/" + bad + "/weights",
                        Platform.GATEWAY_READ_TOKEN,
                        null);
        assertEquals(409, r.statusCode(), r.body());
    }

    @Test
    @Order(3)
    void aForcedRollbackIsSeenByAGatewayClient() throws Exception {
        int production = platform.production();
        assertEquals(trained, production, "the first test's candidate should be in production");
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<Void>> stream =
                HttpClient.newHttpClient()
                        .sendAsync(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        platform.gatewayEncoderUrl() + "/events"))
                                        .header("Accept", "text/event-stream")
                                        .header(
                                                "Authorization",
                                                "Bearer " + Platform.GATEWAY_READ_TOKEN)
                                        .build(),
                                HttpResponse.BodyHandlers.fromLineSubscriber(
                                        new PlatformFlow.SseData(events)));
        try {
            await("the SSE client's first event")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !events.isEmpty());
            assertEquals(production, events.get(0).path("version").asInt(), events.toString());

            HttpResponse<String> r =
                    Platform.send(
                            "POST",
                            platform.service("evaluator").url()
                                    + "/api/v1/models/"
                                    + Platform.MODEL
                                    + "/rollback",
                            platform.operatorToken,
                            "{\"reason\":\"platform test: forced rollback\"}");
            assertEquals(200, r.statusCode(), r.body());
            int back = platform.production();
            assertTrue(back < production, "production did not move back: " + back);

            await("the SSE client sees the rollback")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> events.stream().anyMatch(e -> e.path("version").asInt() == back));
            JsonNode moved =
                    events.stream()
                            .filter(e -> e.path("version").asInt() == back)
                            .findFirst()
                            .orElseThrow();
            assertEquals(production, moved.path("previousVersion").asInt(), moved.toString());
            JsonNode served = PlatformFlow.awaitServed(platform, back, Duration.ofSeconds(60));
            assertEquals(
                    platform.registry("/versions/" + back).path("sha256").asText(),
                    served.path("sha256").asText());
        } finally {
            stream.cancel(true);
        }
    }
}
