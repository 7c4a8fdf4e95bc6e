package eagle.evaluator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.eval.Bootstrap;
import eagle.evaluator.gate.GateConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The confidence intervals recorded beside the gated metrics. */
class EvaluationRecorderTest {

    @Test
    void eachGatedMetricsFiniteIntervalIsRecordedAsCiLowerAndUpper() {
        ObjectNode metrics = new ObjectMapper().createObjectNode();
        EvaluationRecorder.withIntervals(
                metrics,
                GateConfig.defaults(),
                Map.of(
                        "zeroshot_cls", new Bootstrap.Interval(0.61, 0.74),
                        "pope.adversarial.fpr", new Bootstrap.Interval(0.05, 0.12),
                        "mmvp.pair_accuracy", new Bootstrap.Interval(Double.NaN, Double.NaN),
                        "pope.random.f1",
                                new Bootstrap.Interval(0.7, 0.8))); // not gated by the defaults
        assertEquals(0.61, metrics.get("ci.zeroshot_cls.lower").asDouble());
        assertEquals(0.74, metrics.get("ci.zeroshot_cls.upper").asDouble());
        assertEquals(0.05, metrics.get("ci.pope.adversarial.fpr.lower").asDouble());
        assertEquals(0.12, metrics.get("ci.pope.adversarial.fpr.upper").asDouble());
        assertFalse(metrics.has("ci.mmvp.pair_accuracy.lower"), "a NaN interval is left out");
        assertFalse(metrics.has("ci.pope.random.f1.lower"), "only gated metrics");
        assertEquals(4, metrics.size(), metrics.toString());
    }
}
