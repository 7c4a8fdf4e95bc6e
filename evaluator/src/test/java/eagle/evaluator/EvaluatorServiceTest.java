package eagle.evaluator;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.core.model.EncoderSpec;
import eagle.evaluator.api.EvaluatorResource;
import eagle.evaluator.service.EvaluationPipeline;
import eagle.evaluator.service.Outcome;
import eagle.infra.DevJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The evaluator against the real registry (child process), the real KRaft broker and PostgreSQL, on
 * a tiny suite (64 zero-shot, 32 POPE, 32 calibration images, 12 MMVP pairs). One story, in order:
 * the base is promoted with no baseline; a relabelled copy (same weights) is promoted against it; a
 * collapsed encoder is not blessed and production does not move; a wrong architecture and an
 * unreadable artifact are rejected with their reasons while the service keeps going; a redelivered
 * candidate is not recorded twice; a forced re-check failure rolls back.
 */
@QuarkusTest
@QuarkusTestResource(RegistryProcessResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvaluatorServiceTest {

    static final String MODEL = "tiny-clip";
    static final Duration WAIT = Duration.ofSeconds(240);

    @Inject EvaluationPipeline pipeline;

    @Inject RegistryEventListener listener;

    static RegistryFixture registry;
    static int v1;
    static int v2;

    @BeforeAll
    static void model() throws Exception {
        registry =
                new RegistryFixture(
                        RegistryProcessResource.url, RegistryProcessResource.registerToken);
        registry.createModel(MODEL);
    }

    private static JsonNode awaitEvaluation(int version) {
        return Awaitility.await("evaluation of v" + version)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> registry.evaluations(MODEL, version), n -> n != null && n.size() > 0)
                .get(0);
    }

    @Test
    @Order(1)
    void theBaseIsPromotedWithNoBaselineAndThatIsRecorded() throws Exception {
        v1 =
                registry.register(
                        MODEL, RegistryProcessResource.baseDir.resolve("model.safetensors"), null);
        JsonNode e = awaitEvaluation(v1);
        assertTrue(e.get("passed").asBoolean(), e.toString());
        assertTrue(e.get("baselineVersion").isNull());
        assertEquals(pipeline.suite().id(), e.get("suiteId").asText());
        assertTrue(
                e.at("/thresholds/_gate/notes/0").asText().startsWith("no baseline"), e.toString());
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> Integer.valueOf(v1).equals(registry.production(MODEL)));
        // every gated metric is recorded, and the base comparison was applied (diff 0 against
        // identical weights)
        for (String m :
                new String[] {
                    "zeroshot_cls", "zeroshot_seq", "pope.adversarial.fpr", "mmvp.pair_accuracy"
                }) {
            assertTrue(e.get("metrics").has(m), m);
        }
        // with each gated metric, the candidate's bootstrap confidence interval (docs/METHOD.md §6)
        for (String m : new String[] {"zeroshot_cls", "zeroshot_seq", "mmvp.pair_accuracy"}) {
            JsonNode lower = e.get("metrics").get("ci." + m + ".lower");
            JsonNode upper = e.get("metrics").get("ci." + m + ".upper");
            assertTrue(
                    lower != null && upper != null && lower.asDouble() <= upper.asDouble(),
                    m + " in " + e);
        }
        JsonNode baseCheck = e.at("/thresholds/zeroshot_cls@zeroshot~1cls/checks");
        assertTrue(baseCheck.toString().contains("\"against\":\"base\""), baseCheck.toString());
    }

    @Test
    @Order(2)
    void aGoodCandidateIsPromotedAndItsReportLinked() throws Exception {
        Path good =
                TestEncoders.relabelled(
                        RegistryProcessResource.baseDir.resolve("model.safetensors"),
                        Path.of("target", "good.safetensors"),
                        "good");
        v2 = registry.register(MODEL, good, v1);
        JsonNode e = awaitEvaluation(v2);
        assertTrue(e.get("passed").asBoolean(), e.toString());
        assertEquals(v1, e.get("baselineVersion").asInt());
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> Integer.valueOf(v2).equals(registry.production(MODEL)));
        JsonNode slices = e.get("slices");
        assertEquals(4, slices.size());
        // the baseline's values are stored beside the candidate's, and equal them (same weights)
        JsonNode cls = slices.get(0).get("metrics");
        assertEquals(
                cls.get("candidate.zeroshot_cls").asDouble(),
                cls.get("baseline.zeroshot_cls").asDouble());
        // the report the record links to is served, with the three encoders side by side and a plot
        // per family
        String path = URI.create(e.get("reportUrl").asText()).getPath();
        String html = given().when().get(path).then().statusCode(200).extract().asString();
        assertTrue(
                html.contains("BLESSED") && html.contains("baseline v" + v1),
                html.substring(0, 400));
        assertTrue(html.split("<svg").length - 1 >= 4, "a chart per metric family");
        assertTrue(html.contains("pope.adversarial.fpr"));
        // every check says what it compared: the default gate's paired checks their interval
        assertTrue(
                html.contains("zeroshot_seq: paired diff vs baseline v" + v1 + " = +0.0000"),
                "the paired Seq check's reason is in the report");
    }

    @Test
    @Order(3)
    void aDestroyedCandidateIsNotBlessedAndProductionStays() throws Exception {
        Path bad =
                TestEncoders.collapsed(
                        RegistryProcessResource.baseDir.resolve("model.safetensors"),
                        Path.of("target", "collapsed.safetensors"));
        int v3 = registry.register(MODEL, bad, v2);
        JsonNode e = awaitEvaluation(v3);
        assertFalse(e.get("passed").asBoolean(), e.toString());
        assertEquals(v2, e.get("baselineVersion").asInt());
        assertEquals(v2, registry.production(MODEL));
        // one image looks like every other: no MMVP pair can be told apart
        assertEquals(0.0, e.get("metrics").get("mmvp.pair_accuracy").asDouble());
        boolean anyFailed = false;
        for (JsonNode s : e.get("slices")) {
            anyFailed |= !s.get("passed").asBoolean();
        }
        assertTrue(anyFailed);
        // delivered again (a restart before the offset commit): recognised, not recorded twice
        Outcome again = pipeline.evaluateCandidate(MODEL, v3);
        assertEquals(Outcome.Status.ALREADY_EVALUATED, again.status());
        assertEquals(e.get("id").asText(), again.evaluationId());
        assertEquals(1, registry.evaluations(MODEL, v3).size());
        // scored once per artifact digest: base = v1 (same bytes), v2, v3; the baseline and the
        // base were not
        // scored again for each candidate
        assertEquals(3, pipeline.suite().cachedCount());
    }

    @Test
    @Order(4)
    void anotherArchitectureIsRefusedWithItsReasonAndNothingRecorded() throws Exception {
        // registered without a parent (a registry that checks lineage refuses it with that parent
        // already)
        int wrong =
                registry.register(
                        MODEL,
                        TestEncoders.otherArchitecture(
                                RegistryProcessResource.baseDir.resolve("model.safetensors"),
                                Path.of("target", "d64.safetensors")),
                        null);
        Path junk = Path.of("target", "junk.safetensors");
        Files.write(junk, "this is not a safetensors file at all".getBytes());
        // bytes that claim the base's architecture but are no safetensors file
        int unreadable =
                registry.register(
                        MODEL,
                        junk,
                        v2,
                        EncoderSpec.read(
                                        RegistryProcessResource.baseDir.resolve(
                                                "model.safetensors"))
                                .toJson());
        Outcome refused = awaitOutcome(wrong);
        assertEquals(Outcome.Status.REFUSED, refused.status(), refused.toString());
        assertTrue(refused.reason().startsWith("ARCHITECTURE_CHANGED"), refused.reason());
        assertTrue(
                refused.reason().contains("production v" + v2)
                        && refused.reason().contains("embedDim 64 != "),
                refused.reason());
        assertEquals(
                0, registry.evaluations(MODEL, wrong).size(), "nothing recorded as an evaluation");
        // an unreadable artifact is still a recorded, failing evaluation; the service goes on
        JsonNode u = awaitEvaluation(unreadable);
        assertFalse(u.get("passed").asBoolean());
        assertEquals("artifact", u.at("/slices/0/slice").asText());
        assertTrue(
                u.at("/slices/0/reason").asText().startsWith("UNREADABLE_ARTIFACT"), u.toString());
        assertEquals(v2, registry.production(MODEL));
        assertEquals(0, registry.evaluations(MODEL, wrong).size());
    }

    private Outcome awaitOutcome(int version) {
        return Awaitility.await("outcome of v" + version)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> listener.outcomes().get(MODEL + "/" + version), o -> o != null);
    }

    @Test
    @Order(5)
    void aForcedRecheckFailureRollsBack() throws Exception {
        // a re-check under the configured gate passes (same weights, same cached scores) and
        // changes nothing
        JsonNode ok =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(
                                operator()
                                        .contentType("application/json")
                                        .body("{}")
                                        .when()
                                        .post("/api/v1/models/" + MODEL + "/recheck")
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .asString());
        assertEquals("RECHECK_PASSED", ok.get("status").asText(), ok.toString());
        assertEquals(v2, registry.production(MODEL));
        // a re-check under a stricter gate (CLS zero-shot must be at least 1.01: impossible) fails
        String strict =
                "{\"thresholds\":[{\"metric\":\"zeroshot_cls\",\"direction\":\"higher\",\"lower\":1.01}]}";
        JsonNode out =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(
                                operator()
                                        .contentType("application/json")
                                        .body(strict)
                                        .when()
                                        .post("/api/v1/models/" + MODEL + "/recheck")
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .asString());
        assertEquals("ROLLED_BACK", out.get("status").asText(), out.toString());
        assertEquals(v1, out.get("production").asInt());
        assertEquals(v1, registry.production(MODEL));
        JsonNode history = registry.history(MODEL);
        JsonNode last = history.get(history.size() - 1);
        assertEquals(v2, last.get("from").asInt());
        assertEquals(v1, last.get("to").asInt());
        assertTrue(
                last.get("reason").asText().contains("re-check of v" + v2 + " failed"),
                last.toString());
        // the failing re-check is recorded against v2 with its own verdict
        JsonNode evals = registry.evaluations(MODEL, v2);
        assertEquals(3, evals.size());
        assertEquals("recheck", evals.get(1).at("/thresholds/_gate/purpose").asText());
        assertTrue(evals.get(1).get("passed").asBoolean());
        assertEquals("recheck", evals.get(2).at("/thresholds/_gate/purpose").asText());
        assertFalse(evals.get(2).get("passed").asBoolean());
        assertEquals(v1, evals.get(2).get("baselineVersion").asInt());
        // an operator rollback with nothing earlier to go to: the registry's refusal comes back
        // with its code
        operator()
                .contentType("application/json")
                .body("{\"reason\":\"operator\"}")
                .when()
                .post("/api/v1/models/" + MODEL + "/rollback")
                .then()
                .statusCode(409);
        assertNotNull(registry.production(MODEL));
    }

    @Test
    @Order(6)
    void aVersionWithClipsBpeTokenizerIsScoredWithItsOwnTokenizerAndTemplates() throws Exception {
        String bpeModel = "bpe-clip";
        registry.createModel(bpeModel);
        Path file = TestEncoders.clipBpe(Path.of("target", "bpe.safetensors"));
        int v = registry.register(bpeModel, file, null);
        JsonNode e =
                Awaitility.await("evaluation of " + bpeModel)
                        .atMost(WAIT)
                        .pollInterval(Duration.ofMillis(300))
                        .until(
                                () -> registry.evaluations(bpeModel, v),
                                n -> n != null && n.size() > 0)
                        .get(0);
        // scored on the suite (not rejected): every gated metric is there, the gate ran against the
        // base
        assertEquals(pipeline.suite().id(), e.get("suiteId").asText());
        for (String m :
                new String[] {
                    "zeroshot_cls", "zeroshot_seq", "pope.adversarial.fpr", "mmvp.pair_accuracy"
                }) {
            assertTrue(e.get("metrics").has(m), m + " in " + e);
        }
        assertFalse(e.at("/slices/0/slice").asText().equals("artifact"), e.toString());
        // its classes were prompted with its two templates, each encodable by CLIP's BPE
        String sha = registry.version(bpeModel, v).get("sha256").asText();
        var result = pipeline.suite().cached(sha).orElseThrow();
        assertEquals(0, result.counts().get("class_prompts_left_out"));
        assertEquals(0, result.counts().get("classes_without_prompt"));
    }

    @Test
    @Order(7)
    void theWorkerIsReadyAndLive() {
        for (String path : new String[] {"/q/health/ready", "/q/health/live"}) {
            given().when()
                    .get(path)
                    .then()
                    .statusCode(200)
                    .body(
                            "checks.find { it.name == 'evaluation-worker' }.status",
                            org.hamcrest.Matchers.is("UP"));
        }
        // the evaluations above are counted and timed; the API is described
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(
                        org.hamcrest.Matchers.containsString(
                                "evaluator_evaluations_total{operation=\"candidate\",outcome=\"promoted\"}"))
                .body(
                        org.hamcrest.Matchers.containsString(
                                "evaluator_verdicts_total{purpose=\"candidate\",verdict=\"blessed\"}"))
                .body(
                        org.hamcrest.Matchers.containsString(
                                "evaluator_verdicts_total{purpose=\"candidate\",verdict=\"not_blessed\"}"))
                .body(
                        org.hamcrest.Matchers.containsString(
                                "evaluator_evaluation_duration_seconds_count{operation=\"candidate\"}"));
        given().queryParam("format", "json")
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body(
                        "paths.'/api/v1/models/{model}/recheck'.post",
                        org.hamcrest.Matchers.notNullValue());
    }

    @Test
    @Order(0)
    void theOperationsNeedTheOperateRole() {
        String[] paths = {
            "/api/v1/models/" + MODEL + "/versions/1/evaluate",
            "/api/v1/models/" + MODEL + "/recheck",
            "/api/v1/models/" + MODEL + "/rollback"
        };
        String wrongRole = DevJwt.mint("reader", "registry.read");
        String foreign = DevJwt.mintWithForeignKey("operator", EvaluatorResource.OPERATE);
        for (String path : paths) {
            given().contentType("application/json")
                    .body("{\"reason\":\"x\"}")
                    .when()
                    .post(path)
                    .then()
                    .statusCode(401);
            given().auth()
                    .oauth2(foreign)
                    .contentType("application/json")
                    .body("{\"reason\":\"x\"}")
                    .when()
                    .post(path)
                    .then()
                    .statusCode(401);
            given().auth()
                    .oauth2(wrongRole)
                    .contentType("application/json")
                    .body("{\"reason\":\"x\"}")
                    .when()
                    .post(path)
                    .then()
                    .statusCode(403);
        }
        // reports stay open to read: the path is answered (404: no such report), not refused
        given().when().get("/reports/none.html").then().statusCode(404);
    }

    private static io.restassured.specification.RequestSpecification operator() {
        return given().auth().oauth2(RegistryProcessResource.operatorToken);
    }
}
