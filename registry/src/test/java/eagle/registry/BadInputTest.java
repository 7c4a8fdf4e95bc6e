package eagle.registry;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import eagle.infra.KafkaTestResource;
import eagle.infra.PostgresTestResource;
import eagle.registry.security.Roles;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear 4xx with a code and a reason, and changes nothing. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(KafkaTestResource.class)
class BadInputTest {

    @Test
    void malformedJson() {
        Api.json(Roles.REGISTER)
                .body("{\"name\": \"abc\",")
                .post("/api/v1/models")
                .then()
                .statusCode(400)
                .body("code", equalTo("MALFORMED_JSON"))
                .body("reason", notNullValue());
        Api.json(Roles.REGISTER)
                .body("{\"name\": \"abc\", \"colour\": \"red\"}")
                .post("/api/v1/models")
                .then()
                .statusCode(400)
                .body("code", equalTo("UNKNOWN_FIELD"))
                .body("reason", containsString("colour"));
        String model = Api.createModel("bad");
        Map<String, Object> body = Api.versionBody(new byte[] {1}, null);
        body.put("sizeBytes", "eleven");
        Api.json(Roles.REGISTER)
                .body(body)
                .post("/api/v1/models/" + model + "/versions")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_JSON"))
                .body("reason", containsString("sizeBytes"));
        Api.json(Roles.REGISTER)
                .post("/api/v1/models/" + model + "/versions")
                .then()
                .statusCode(400);
        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/versions")
                .then()
                .body("size()", equalTo(0));
    }

    @Test
    void unknownModelVersionAlias() {
        Api.register("no-such-model", new byte[] {1}, null)
                .then()
                .statusCode(404)
                .body("code", equalTo("UNKNOWN_MODEL"))
                .body("reason", containsString("no-such-model"));
        String model = Api.createModel("unknown");
        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/versions/7")
                .then()
                .statusCode(404)
                .body("code", equalTo("UNKNOWN_VERSION"));
        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/aliases/production")
                .then()
                .statusCode(404)
                .body("code", equalTo("UNKNOWN_ALIAS"));
        Api.moveAlias(model, "production", 3, "no such version")
                .then()
                .statusCode(404)
                .body("code", equalTo("UNKNOWN_VERSION"));
        Api.register(model, new byte[] {1}, 9)
                .then()
                .statusCode(422)
                .body("code", equalTo("UNKNOWN_PARENT"));
    }

    @Test
    void namesAreValidated() {
        for (String name :
                List.of("Upper", "has space", "..", "a..b", "-lead", "x".repeat(65), "a/b", "")) {
            Api.json(Roles.REGISTER)
                    .body(Map.of("name", name))
                    .post("/api/v1/models")
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("INVALID_NAME"));
        }
        String model = Api.createModel("names");
        Api.json(Roles.REGISTER)
                .body(Map.of("name", model))
                .post("/api/v1/models")
                .then()
                .statusCode(409)
                .body("code", equalTo("MODEL_EXISTS"));
        // traversal in a path segment never reaches anything
        Api.as(Roles.READ)
                .urlEncodingEnabled(false)
                .get("/api/v1/models/..%2F..%2Fetc/versions")
                .then()
                .statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(404)));
        Api.as(Roles.READ)
                .urlEncodingEnabled(false)
                .get("/api/v1/models/" + model + "/aliases/..%2Fx")
                .then()
                .statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(404)));
        Api.readyVersion(model, new byte[] {7}, null);
        Api.moveAlias(model, "Prod Uction", 1, "bad alias")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_NAME"));
    }

    @Test
    void boundedSizes() {
        String model = Api.createModel("bounds");
        Api.json(Roles.REGISTER)
                .body(Map.of("name", Api.uniqueModel("d"), "description", "x".repeat(1025)))
                .post("/api/v1/models")
                .then()
                .statusCode(400)
                .body("code", equalTo("FIELD_TOO_LONG"));
        Map<String, Object> body = Api.versionBody(new byte[] {1}, null);
        body.put("architecture", Map.of("blob", "x".repeat(1_100_000)));
        Api.json(Roles.REGISTER)
                .body(body)
                .post("/api/v1/models/" + model + "/versions")
                .then()
                .statusCode(413)
                .body("code", equalTo("BODY_TOO_LARGE"));
        Api.readyVersion(model, new byte[] {9}, null);
        Api.json(Roles.ALIAS)
                .body(Map.of("version", 1, "reason", "r".repeat(1025)))
                .put("/api/v1/models/" + model + "/aliases/canary")
                .then()
                .statusCode(400)
                .body("code", equalTo("FIELD_TOO_LONG"));
        Api.json(Roles.ALIAS)
                .body(Map.of("version", 1))
                .put("/api/v1/models/" + model + "/aliases/canary")
                .then()
                .statusCode(400)
                .body("code", equalTo("MISSING_FIELD"))
                .body("reason", containsString("reason"));
    }

    @Test
    void badVersionMetadata() {
        String model = Api.createModel("meta");
        Map<String, Object> body = Api.versionBody(new byte[] {1}, null);
        body.put("sha256", "ABC");
        Api.json(Roles.REGISTER)
                .body(body)
                .post("/api/v1/models/" + model + "/versions")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_SHA256"));
        body = Api.versionBody(new byte[] {1}, null);
        body.put("format", "pickle");
        Api.json(Roles.REGISTER)
                .body(body)
                .post("/api/v1/models/" + model + "/versions")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_FORMAT"));
        body = Api.versionBody(new byte[] {1}, null);
        body.put(
                "trainingRun",
                Map.of(
                        "runId",
                        "r",
                        "dataManifest",
                        List.of(
                                Map.of(
                                        "topic",
                                        "eagle.samples.v1",
                                        "partition",
                                        0,
                                        "fromOffset",
                                        10,
                                        "untilOffset",
                                        5))));
        Api.json(Roles.REGISTER)
                .body(body)
                .post("/api/v1/models/" + model + "/versions")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_MANIFEST"));
        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/versions")
                .then()
                .body("size()", equalTo(0));
    }
}
