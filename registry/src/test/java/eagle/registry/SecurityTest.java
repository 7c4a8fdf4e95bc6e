package eagle.registry;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.infra.KafkaTestResource;
import eagle.infra.PostgresTestResource;
import eagle.registry.security.DevTokens;
import eagle.registry.security.Roles;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every write needs its own role: 401 without a (valid) token, 403 with the wrong role; reads need
 * registry.read.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(KafkaTestResource.class)
class SecurityTest {

    /** One write endpoint: its role and how to call it. */
    record Write(
            String name,
            String role,
            Function<RequestSpecification, io.restassured.response.Response> call) {}

    static String model;

    /**
     * Once, but after Quarkus has pointed RestAssured at the application (not in a
     * static @BeforeAll).
     */
    @BeforeEach
    void model() {
        if (model != null) {
            return;
        }
        model = Api.createModel("sec");
        Api.readyVersion(model, Api.bytes(10, 900), null);
        Api.evaluate(model, 1, true);
        Api.moveAlias(model, "production", 1, "setup").then().statusCode(200);
    }

    List<Write> writes() {
        String m = "/api/v1/models/" + model;
        return List.of(
                new Write(
                        "create model",
                        Roles.REGISTER,
                        r ->
                                r.contentType("application/json")
                                        .body(Map.of("name", Api.uniqueModel("x")))
                                        .post("/api/v1/models")),
                new Write(
                        "register version",
                        Roles.REGISTER,
                        r ->
                                r.contentType("application/json")
                                        .body(Api.versionBody(Api.bytes(10, 901), null))
                                        .post(m + "/versions")),
                new Write(
                        "upload artifact",
                        Roles.REGISTER,
                        r ->
                                r.contentType("application/octet-stream")
                                        .body(new byte[] {1, 2, 3})
                                        .put(m + "/versions/1/artifact")),
                new Write(
                        "record evaluation",
                        Roles.EVALUATE,
                        r ->
                                r.contentType("application/json")
                                        .body(Api.evaluationBody(true, null))
                                        .post(m + "/versions/1/evaluations")),
                new Write(
                        "move alias",
                        Roles.ALIAS,
                        r ->
                                r.contentType("application/json")
                                        .body(Map.of("version", 1, "reason", "r"))
                                        .put(m + "/aliases/canary")),
                new Write(
                        "rollback alias",
                        Roles.ALIAS,
                        r ->
                                r.contentType("application/json")
                                        .body(Map.of("reason", "r"))
                                        .post(m + "/aliases/production/rollback")));
    }

    @Test
    void writesWithoutTokenAre401() {
        for (Write w : writes()) {
            assertEquals(401, w.call().apply(RestAssured.given()).statusCode(), w.name());
        }
    }

    @Test
    void writesWithAForeignOrExpiredTokenAre401() throws Exception {
        var gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        PrivateKey foreign = gen.generateKeyPair().getPrivate();
        String forged =
                Jwt.issuer(DevTokens.ISSUER).upn("mallory").groups(Set.of(Roles.ALL)).sign(foreign);
        String wrongIssuer =
                Jwt.issuer("https://elsewhere")
                        .upn("mallory")
                        .groups(Set.of(Roles.ALL))
                        .sign(devKey());
        for (String token : List.of(forged, wrongIssuer)) {
            for (Write w : writes()) {
                assertEquals(
                        401,
                        w.call()
                                .apply(
                                        RestAssured.given()
                                                .header("Authorization", "Bearer " + token))
                                .statusCode(),
                        w.name());
            }
        }
    }

    @Test
    void writesWithTheWrongRoleAre403() {
        for (Write w : writes()) {
            String[] others =
                    Arrays.stream(Roles.ALL)
                            .filter(r -> !r.equals(w.role()))
                            .toArray(String[]::new);
            assertEquals(
                    403,
                    w.call().apply(Api.as(others)).statusCode(),
                    w.name() + " without " + w.role());
        }
    }

    @Test
    void readsNeedTheReadRole() {
        String[] paths = {
            "/api/v1/models",
            "/api/v1/models/" + model + "/versions",
            "/api/v1/models/" + model + "/versions/1/artifact",
            "/api/v1/models/" + model + "/aliases/production",
            "/api/v1/models/" + model + "/aliases/production/history"
        };
        for (String p : paths) {
            assertEquals(401, RestAssured.get(p).statusCode(), p);
            assertEquals(
                    403,
                    Api.as(Roles.REGISTER, Roles.EVALUATE, Roles.ALIAS).get(p).statusCode(),
                    p);
            assertEquals(200, Api.as(Roles.READ).get(p).statusCode(), p);
        }
    }

    @Test
    void healthMetricsAndOpenApiAreOpen() {
        RestAssured.get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("registry_outbox_pending"))
                .body(org.hamcrest.Matchers.containsString("registry_outbox_lag_seconds"));
        // a registration and a move are counted once committed; a refused move is not
        String moves = "registry_alias_moves_total{action=\"move\",alias=\"staging\"}";
        double registered = metric("registry_versions_registered_total");
        double moved = metric(moves);
        String model = Api.createModel("metrics");
        int v = Api.readyVersion(model, Api.bytes(64, 7), null);
        Api.moveAlias(model, "staging", v, "metrics test").then().statusCode(200);
        Api.moveAlias(model, "staging", v + 5, "no such version")
                .then()
                .statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
        assertEquals(registered + 1, metric("registry_versions_registered_total"));
        assertEquals(moved + 1, metric(moves));
        RestAssured.given()
                .queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body(
                        "paths.'/api/v1/models/{model}/aliases/{alias}'.put",
                        org.hamcrest.Matchers.notNullValue());
    }

    /**
     * A sample's value in /q/metrics (0 when absent); {@code sample} is the name with its labels.
     */
    private static double metric(String sample) {
        return RestAssured.get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(l -> l.startsWith(sample + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1)))
                .findFirst()
                .orElse(0.0);
    }

    private static PrivateKey devKey() {
        try {
            var m = DevTokens.class.getDeclaredMethod("privateKey");
            m.setAccessible(true);
            return (PrivateKey) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
