package eagle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine that cannot start (its base encoder is missing) fails, and the health check says DOWN
 * with why.
 */
class TrainerHealthTest {

    @TempDir Path dir;

    @Test
    void anEngineThatFailedIsDownWithItsReason() throws Exception {
        Map<String, String> config =
                Map.of(
                        "kafka.bootstrap.servers",
                                "localhost:1", // never reached: the engine fails before
                        "eagle.trainer.state-dir", dir.resolve("state").toString(),
                        "eagle.trainer.base-dir", dir.resolve("no-base").toString());
        TrainerEngine engine = new TrainerEngine(TrainerSettings.from(config));
        assertEquals(HealthCheckResponse.Status.UP, TrainerHealth.of(engine.status()).getStatus());
        engine.run(); // returns when the engine stops: here at once, on the missing model
        TrainerStatus status = engine.status();
        assertEquals(TrainerPhase.FAILED, status.phase());
        HealthCheckResponse health = TrainerHealth.of(status);
        assertEquals(HealthCheckResponse.Status.DOWN, health.getStatus());
        assertTrue(
                String.valueOf(health.getData().orElseThrow().get("reason"))
                        .contains("model.safetensors"),
                health.getData().toString());
        assertEquals(HealthCheckResponse.Status.UP, TrainerHealth.of(null).getStatus()); // disabled
    }
}
