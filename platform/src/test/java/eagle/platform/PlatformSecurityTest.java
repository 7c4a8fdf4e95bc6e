package eagle.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.infra.DevJwt;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every write endpoint of every service, called with no token, with a token signed by a key the
 * platform does not trust, and with a valid token that lacks the endpoint's role: 401, 401 and 403,
 * and nothing written. Ingest has no HTTP write endpoint (its input is the annotations topic); the
 * gateway's only POST, embed, is a read of the production encoder guarded by the read tokens (no
 * roles there: 401 for none or a wrong one).
 */
@Order(1)
class PlatformSecurityTest {

    /** A write endpoint, the role it needs, and a body that would be accepted with that role. */
    record Endpoint(String service, String method, String path, String role, String body) {}

    private static Platform platform;

    @BeforeAll
    static void platform() {
        platform = Platform.get();
        // the evaluator promotes the base on its own after Platform.get() returns; waiting for it
        // keeps that move out of the "production did not change" checks below
        PlatformFlow.awaitServed(platform, platform.baseVersion(), Duration.ofMinutes(4));
    }

    private static List<Endpoint> writeEndpoints() {
        String m = "/api/v1/models/" + Platform.MODEL;
        return List.of(
                new Endpoint(
                        "registry",
                        "POST",
                        "/api/v1/models",
                        "registry.register",
                        "{\"name\":\"intruder\",\"description\":\"x\"}"),
                new Endpoint(
                        "registry",
                        "POST",
                        m + "/versions",
                        "registry.register",
                        "{\"parentVersion\":null,\"sha256\":\""
                                + "a".repeat(64)
                                + "\",\"sizeBytes\":1,\"format\":\"safetensors\",\"architecture\":{}}"),
                new Endpoint(
                        "registry", "PUT", m + "/versions/1/artifact", "registry.register", null),
                new Endpoint(
                        "registry",
                        "POST",
                        m + "/versions/1/evaluations",
                        "registry.evaluate",
                        "{\"suiteId\":\"x\",\"passed\":true,\"metrics\":{},\"slices\":[]}"),
                new Endpoint(
                        "registry",
                        "PUT",
                        m + "/aliases/production",
                        "registry.alias",
                        "{\"version\":1,\"reason\":\"intruder\"}"),
                new Endpoint(
                        "registry",
                        "POST",
                        m + "/aliases/production/rollback",
                        "registry.alias",
                        "{\"reason\":\"intruder\"}"),
                new Endpoint("trainer", "POST", "/api/v1/rounds", "trainer.operate", null),
                new Endpoint(
                        "evaluator", "POST", m + "/versions/1/evaluate", "evaluator.operate", null),
                new Endpoint("evaluator", "POST", m + "/recheck", "evaluator.operate", "{}"),
                new Endpoint(
                        "evaluator",
                        "POST",
                        m + "/rollback",
                        "evaluator.operate",
                        "{\"reason\":\"intruder\"}"));
    }

    /** Every role of the platform but {@code role}. */
    private static String[] allRolesBut(String role) {
        List<String> roles =
                new ArrayList<>(
                        List.of(
                                "registry.read",
                                "registry.register",
                                "registry.evaluate",
                                "registry.alias",
                                "trainer.operate",
                                "evaluator.operate"));
        roles.remove(role);
        return roles.toArray(String[]::new);
    }

    @Test
    void everyWriteEndpointRefusesNoTokenAForeignTokenAndTheWrongRole() {
        Integer production = platform.production();
        int versions = platform.versions().size();
        List<String> failures = new ArrayList<>();
        for (Endpoint e : writeEndpoints()) {
            String url = platform.service(e.service()).url() + e.path();
            expect(failures, e, "no token", 401, Platform.send(e.method(), url, null, e.body()));
            expect(
                    failures,
                    e,
                    "foreign key",
                    401,
                    Platform.send(
                            e.method(),
                            url,
                            DevJwt.mintWithForeignKey("intruder", e.role()),
                            e.body()));
            expect(
                    failures,
                    e,
                    "wrong role",
                    403,
                    Platform.send(
                            e.method(),
                            url,
                            DevJwt.mint("intruder", allRolesBut(e.role())),
                            e.body()));
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        // nothing was written
        assertEquals(production, platform.production());
        assertEquals(versions, platform.versions().size());
        assertEquals(
                404,
                Platform.send(
                                "GET",
                                platform.service("registry").url() + "/api/v1/models/intruder",
                                platform.readToken,
                                null)
                        .statusCode());
    }

    @Test
    void theGatewaysEmbedNeedsAReadToken() throws Exception {
        String url = platform.gatewayEncoderUrl() + "/embed";
        assertEquals(401, embed(url, null));
        assertEquals(401, embed(url, "not-a-read-token"));
        assertEquals(401, embed(url, DevJwt.mint("operator", "registry.read")));
        // the read token is accepted: what is left is the body, which is not an image
        int withToken = embed(url, Platform.GATEWAY_READ_TOKEN);
        assertTrue(
                withToken / 100 == 4 && withToken != 401 && withToken != 403,
                "with the read token: " + withToken);
    }

    private static int embed(String url, String token) throws Exception {
        java.net.http.HttpRequest.Builder b =
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .header("Content-Type", "image/png")
                        .POST(
                                java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                                        new byte[] {1, 2, 3}));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return java.net.http.HttpClient.newHttpClient()
                .send(b.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static void expect(
            List<String> failures, Endpoint e, String what, int status, HttpResponse<String> r) {
        if (r.statusCode() != status) {
            failures.add(
                    e.service()
                            + " "
                            + e.method()
                            + " "
                            + e.path()
                            + " with "
                            + what
                            + ": expected "
                            + status
                            + ", got "
                            + r.statusCode()
                            + " "
                            + r.body());
        }
    }
}
