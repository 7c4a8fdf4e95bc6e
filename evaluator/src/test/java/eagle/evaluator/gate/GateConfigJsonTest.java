package eagle.evaluator.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's JSON configuration and the blessing as the registry's evaluation record. */
class GateConfigJsonTest {

    @Test
    void roundTripsTheDefaultsAndKeepsAnUnknownDirectionAsFailClosed() {
        GateConfig d = GateConfig.defaults();
        assertEquals(d, GateConfigJson.parse(GateConfigJson.toJson(d)));
        GateConfig g =
                GateConfigJson.parse(
                        "{\"thresholds\":[{\"metric\":\"pope.random.fpr\",\"direction\":\"sideways\","
                                + "\"upper\":0.5}]}");
        MetricThreshold t = g.thresholds().get(0);
        assertNull(t.direction());
        assertEquals("pope/random", t.slice());
        assertFalse(
                PromotionGate.evaluate(
                                g,
                                new MetricSet(1, "s", Map.of("pope.random.fpr", 0.25)),
                                null,
                                null)
                        .passed());
    }

    @Test
    void theExperimentsCopyOfTheDefaultGateIsTheEvaluatorsDefaultGate() throws Exception {
        // scenes cannot depend on the evaluator, so `./eagle experiment --rounds` carries a JSON
        // copy
        // of these defaults; this fails when the two drift apart
        try (var in =
                GateConfigJsonTest.class.getResourceAsStream(
                        "/eagle/scenes/experiment/default-gate.json")) {
            assertTrue(in != null, "scenes' default-gate.json is on the evaluator's classpath");
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(GateConfig.defaults(), GateConfigJson.parse(json));
        }
    }

    @Test
    void malformedConfigNamesTheField() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                GateConfigJson.parse(
                                        "{\"thresholds\":[{\"direction\":\"higher\"}]}"));
        assertTrue(e.getMessage().contains("thresholds[0].metric"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        GateConfigJson.parse(
                                "{\"thresholds\":[{\"metric\":\"m\",\"direction\":\"higher\",\"changes\":[{\"against\":\"prod\",\"absolute\":0}]}]}"));
        IllegalArgumentException notBoolean =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                GateConfigJson.parse(
                                        "{\"thresholds\":[{\"metric\":\"m\",\"direction\":\"higher\",\"changes\":[{\"against\":\"base\",\"absolute\":0,\"paired\":\"yes\"}]}]}"));
        assertTrue(
                notBoolean.getMessage().contains("thresholds[0].changes[0].paired"),
                notBoolean.getMessage());
        IllegalArgumentException relative =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                GateConfigJson.parse(
                                        "{\"thresholds\":[{\"metric\":\"m\",\"direction\":\"higher\",\"changes\":[{\"against\":\"base\",\"relative\":0,\"paired\":true}]}]}"));
        assertTrue(relative.getMessage().contains("absolute bound only"), relative.getMessage());
    }

    @Test
    void theRecordCarriesEveryValueThresholdAndReferenceButNoNaN() {
        Blessing b =
                PromotionGate.evaluate(
                        GateConfig.defaults(),
                        new MetricSet(
                                3,
                                "c",
                                Map.of(
                                        "zeroshot_cls",
                                        0.5,
                                        "zeroshot_seq",
                                        Double.NaN,
                                        "pope.adversarial.fpr",
                                        0.25,
                                        "mmvp.pair_accuracy",
                                        0.5)),
                        new MetricSet(
                                2,
                                "b",
                                Map.of(
                                        "zeroshot_cls",
                                        0.5,
                                        "zeroshot_seq",
                                        0.25,
                                        "pope.adversarial.fpr",
                                        0.25,
                                        "mmvp.pair_accuracy",
                                        0.5)),
                        new MetricSet(null, "base", Map.of("zeroshot_cls", 0.5)));
        var body = BlessingJson.request(b, "suite-1", "candidate", "http://x/r.html");
        assertEquals(2, body.get("baselineVersion").asInt());
        assertFalse(body.get("passed").asBoolean());
        assertFalse(
                body.get("metrics").has("zeroshot_seq"),
                "NaN never goes into the record's metrics");
        assertEquals(
                "NaN",
                body.at("/thresholds/zeroshot_seq@zeroshot~1seq/checks/0/candidate").asText());
        assertEquals("b", body.at("/thresholds/_gate/baseline/sha256").asText());
        assertEquals(
                -0.01,
                body.at("/thresholds/zeroshot_cls@zeroshot~1cls/changes/0/absolute").asDouble());
        assertEquals(0.5, body.at("/slices/0/metrics/baseline.zeroshot_cls").asDouble());
        assertEquals(0.5, body.at("/slices/0/metrics/base.zeroshot_cls").asDouble());
        assertTrue(body.at("/slices/0/passed").asBoolean());
        assertFalse(body.at("/slices/1/passed").asBoolean());
        assertTrue(body.at("/slices/1/reason").asText().contains("not a finite number"));
    }
}
