package eagle.registry;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.infra.KafkaTestResource;
import eagle.infra.PostgresTestResource;
import eagle.registry.security.Roles;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Alias rules: READY only, production needs a passing evaluation, one winner per race, rollback,
 * time travel.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(KafkaTestResource.class)
class AliasTest {

    @Test
    void productionRequiresPassingEvaluation() {
        String model = Api.createModel("gate");
        byte[] a1 = Api.bytes(100, 11);
        Api.register(model, a1, null).then().statusCode(201);

        Api.moveAlias(model, "production", 1, "not stored yet")
                .then()
                .statusCode(409)
                .body("code", equalTo("VERSION_NOT_READY"));
        Api.upload(model, 1, a1).then().statusCode(200);

        Api.moveAlias(model, "production", 1, "no evaluation")
                .then()
                .statusCode(409)
                .body("code", equalTo("NOT_BLESSED"))
                .body("reason", containsString("passing evaluation"));
        String failed = Api.evaluate(model, 1, false);
        Api.moveAlias(model, "production", 1, "failed evaluation")
                .then()
                .statusCode(409)
                .body("code", equalTo("NOT_BLESSED"));
        Api.json(Roles.ALIAS)
                .body(
                        Map.of(
                                "version",
                                1,
                                "reason",
                                "cite the failing one",
                                "evaluationId",
                                failed))
                .put("/api/v1/models/" + model + "/aliases/production")
                .then()
                .statusCode(409)
                .body("code", equalTo("NOT_BLESSED"));
        // any other alias may point at an unblessed READY version
        Api.moveAlias(model, "candidate", 1, "try it")
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("evaluationId", nullValue());

        String passed = Api.evaluate(model, 1, true);
        Api.moveAlias(model, "production", 1, "blessed")
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("sha256", equalTo(Api.sha256(a1)))
                .body("evaluationId", equalTo(passed));
        Api.moveAlias(model, "production", 1, "again")
                .then()
                .statusCode(409)
                .body("code", equalTo("ALIAS_UNCHANGED"));

        // an evaluation of another version cannot be cited
        Api.readyVersion(model, Api.bytes(100, 12), 1);
        Api.json(Roles.ALIAS)
                .body(Map.of("version", 2, "reason", "wrong evaluation", "evaluationId", passed))
                .put("/api/v1/models/" + model + "/aliases/production")
                .then()
                .statusCode(409)
                .body("code", equalTo("EVALUATION_MISMATCH"));

        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/aliases/production/history")
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].to", equalTo(1))
                .body("[0].from", nullValue())
                .body("[0].reason", equalTo("blessed"))
                .body("[0].movedBy", equalTo("tester"));
    }

    @Test
    void evaluationVerdictMustMatchItsSlices() {
        String model = Api.createModel("verdict");
        Api.readyVersion(model, Api.bytes(10, 13), null);
        Map<String, Object> body = Api.evaluationBody(false, null);
        body.put("passed", true); // a failing slice under an overall pass
        Api.json(Roles.EVALUATE)
                .body(body)
                .post("/api/v1/models/" + model + "/versions/1/evaluations")
                .then()
                .statusCode(400)
                .body("code", equalTo("INCONSISTENT_VERDICT"))
                .body("reason", containsString("pope/adversarial"));
        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/versions/1/evaluations")
                .then()
                .body("size()", equalTo(0));
    }

    @Test
    void twoConcurrentGuardedMovesExactlyOneWins() throws Exception {
        String model = Api.createModel("race");
        for (int v = 1; v <= 3; v++) {
            Api.readyVersion(model, Api.bytes(64, 100 + v), null);
            Api.evaluate(model, v, true);
        }
        Api.moveAlias(model, "production", 1, "start").then().statusCode(200);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int current = 1;
            for (int round = 0; round < 4; round++) {
                int[] targets =
                        current == 1
                                ? new int[] {2, 3}
                                : current == 2 ? new int[] {1, 3} : new int[] {1, 2};
                CyclicBarrier start = new CyclicBarrier(2);
                final int expected = current;
                List<CompletableFuture<Response>> writers = new ArrayList<>();
                for (int target : targets) {
                    writers.add(
                            CompletableFuture.supplyAsync(
                                    () -> {
                                        var request =
                                                Api.json(Roles.ALIAS)
                                                        .queryParam("ifCurrentVersion", expected)
                                                        .body(
                                                                Map.of(
                                                                        "version",
                                                                        target,
                                                                        "reason",
                                                                        "writer to " + target));
                                        await(start);
                                        return request.put(
                                                "/api/v1/models/" + model + "/aliases/production");
                                    },
                                    pool));
                }
                List<Response> results = writers.stream().map(CompletableFuture::join).toList();
                List<Response> won = results.stream().filter(r -> r.statusCode() == 200).toList();
                List<Response> lost = results.stream().filter(r -> r.statusCode() == 409).toList();
                assertEquals(1, won.size(), "exactly one writer wins round " + round);
                assertEquals(1, lost.size(), "the other gets 409 in round " + round);
                lost.get(0).then().body("code", equalTo("ALIAS_CHANGED"));
                current = won.get(0).path("version");
                Api.as(Roles.READ)
                        .get("/api/v1/models/" + model + "/aliases/production")
                        .then()
                        .body("version", equalTo(current));
            }
        } finally {
            pool.shutdownNow();
        }
        List<Map<String, Object>> history =
                Api.as(Roles.READ)
                        .get("/api/v1/models/" + model + "/aliases/production/history")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("");
        assertEquals(5, history.size(), "one entry for the start and one per round");
        for (int i = 1; i < history.size(); i++) {
            assertEquals(
                    history.get(i - 1).get("to"), history.get(i).get("from"), "history is a chain");
        }
    }

    @Test
    void unguardedConcurrentMovesAreSerialised() throws Exception {
        String model = Api.createModel("serial");
        for (int v = 1; v <= 2; v++) {
            Api.readyVersion(model, Api.bytes(64, 200 + v), null);
        }
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Integer>> writers = new ArrayList<>();
            for (int target = 1; target <= 2; target++) {
                final int t = target;
                writers.add(
                        CompletableFuture.supplyAsync(
                                () -> {
                                    var request =
                                            Api.json(Roles.ALIAS)
                                                    .body(
                                                            Map.of(
                                                                    "version",
                                                                    t,
                                                                    "reason",
                                                                    "writer " + t));
                                    await(start);
                                    return request.put(
                                                    "/api/v1/models/" + model + "/aliases/staging")
                                            .statusCode();
                                },
                                pool));
            }
            List<Integer> codes = writers.stream().map(CompletableFuture::join).toList();
            assertEquals(
                    List.of(200, 200), codes, "both unguarded moves apply, one after the other");
        } finally {
            pool.shutdownNow();
        }
        List<Map<String, Object>> history =
                Api.as(Roles.READ)
                        .get("/api/v1/models/" + model + "/aliases/staging/history")
                        .then()
                        .extract()
                        .path("");
        assertEquals(2, history.size());
        assertEquals(null, history.get(0).get("from"));
        assertEquals(
                history.get(0).get("to"),
                history.get(1).get("from"),
                "the second move saw the first");
    }

    @Test
    void guardOnAbsentAlias() {
        String model = Api.createModel("absent");
        Api.readyVersion(model, Api.bytes(8, 300), null);
        Api.json(Roles.ALIAS)
                .queryParam("ifCurrentVersion", "none")
                .body(Map.of("version", 1, "reason", "create"))
                .put("/api/v1/models/" + model + "/aliases/canary")
                .then()
                .statusCode(200);
        Api.json(Roles.ALIAS)
                .queryParam("ifCurrentVersion", "none")
                .body(Map.of("version", 1, "reason", "create"))
                .put("/api/v1/models/" + model + "/aliases/canary")
                .then()
                .statusCode(409)
                .body("code", equalTo("ALIAS_CHANGED"));
        Api.json(Roles.ALIAS)
                .queryParam("ifCurrentVersion", "x")
                .body(Map.of("version", 1, "reason", "r"))
                .put("/api/v1/models/" + model + "/aliases/canary")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_QUERY"));
    }

    @Test
    void rollbackGoesToThePreviousBlessedEntry() {
        String model = Api.createModel("rollback");
        for (int v = 1; v <= 5; v++) {
            Api.readyVersion(model, Api.bytes(32, 400 + v), null);
        }
        for (int v = 1; v <= 3; v++) {
            Api.evaluate(model, v, true);
        }
        Api.evaluate(model, 4, false);
        String prod = "/api/v1/models/" + model + "/aliases/production";
        Api.json(Roles.ALIAS)
                .body(Map.of("reason", "nothing yet"))
                .post(prod + "/rollback")
                .then()
                .statusCode(404)
                .body("code", equalTo("UNKNOWN_ALIAS"));
        for (int v = 1; v <= 3; v++) {
            Api.moveAlias(model, "production", v, "promote " + v).then().statusCode(200);
        }
        Api.json(Roles.ALIAS)
                .body(Map.of("reason", "v3 regressed"))
                .post(prod + "/rollback")
                .then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("reason", equalTo("v3 regressed"));
        // the next rollback skips v3 (rolled back from) and lands on v1
        Api.json(Roles.ALIAS)
                .body(Map.of("reason", "v2 too"))
                .post(prod + "/rollback")
                .then()
                .statusCode(200)
                .body("version", equalTo(1));
        Api.json(Roles.ALIAS)
                .body(Map.of("reason", "nothing left"))
                .post(prod + "/rollback")
                .then()
                .statusCode(409)
                .body("code", equalTo("NO_ROLLBACK_TARGET"));
        Api.as(Roles.READ)
                .get(prod + "/history")
                .then()
                .body("action", equalTo(List.of("MOVE", "MOVE", "MOVE", "ROLLBACK", "ROLLBACK")))
                .body("to", equalTo(List.of(1, 2, 3, 2, 1)))
                .body("from[3]", equalTo(3));

        // an unblessed entry is never a rollback target
        String staging = "/api/v1/models/" + model + "/aliases/staging";
        Api.moveAlias(model, "staging", 1, "s1").then().statusCode(200);
        Api.moveAlias(model, "staging", 4, "s4 (failed its evaluation)").then().statusCode(200);
        Api.moveAlias(model, "staging", 5, "s5 (never evaluated)").then().statusCode(200);
        Api.json(Roles.ALIAS)
                .body(Map.of("reason", "back", "toVersion", 4))
                .post(staging + "/rollback")
                .then()
                .statusCode(409)
                .body("code", equalTo("NO_ROLLBACK_TARGET"));
        Api.json(Roles.ALIAS)
                .body(Map.of("reason", "back"))
                .post(staging + "/rollback")
                .then()
                .statusCode(200)
                .body("version", equalTo(1));
    }

    @Test
    void whereDidTheAliasPointAtTimeT() {
        String model = Api.createModel("timetravel");
        for (int v = 1; v <= 2; v++) {
            Api.readyVersion(model, Api.bytes(16, 500 + v), null);
            Api.evaluate(model, v, true);
        }
        String prod = "/api/v1/models/" + model + "/aliases/production";
        Instant t1 =
                Instant.parse(
                        Api.moveAlias(model, "production", 1, "first")
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("since"));
        Instant t2 =
                Instant.parse(
                        Api.moveAlias(model, "production", 2, "second")
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("since"));

        Api.as(Roles.READ)
                .queryParam("at", t1.minusNanos(1000).toString())
                .get(prod)
                .then()
                .statusCode(404)
                .body("code", equalTo("ALIAS_NOT_SET_AT"));
        Api.as(Roles.READ)
                .queryParam("at", t1.toString())
                .get(prod)
                .then()
                .statusCode(200)
                .body("version", equalTo(1));
        Api.as(Roles.READ)
                .queryParam("at", t2.minusNanos(1000).toString())
                .get(prod)
                .then()
                .body("version", equalTo(1));
        Api.as(Roles.READ)
                .queryParam("at", t2.toString())
                .get(prod)
                .then()
                .body("version", equalTo(2))
                .body("reason", equalTo("second"));
        Api.as(Roles.READ)
                .queryParam("at", "2999-01-01T00:00:00+02:00")
                .get(prod)
                .then()
                .body("version", equalTo(2));
        Api.as(Roles.READ)
                .queryParam("at", "yesterday")
                .get(prod)
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_QUERY"));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
