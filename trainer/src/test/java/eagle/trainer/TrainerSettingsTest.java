package eagle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.contracts.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trainer's settings: the brokers must be given; everything else has a default. */
class TrainerSettingsTest {

    private static TrainerSettings from(Map<String, String> config) {
        return TrainerSettings.from(config);
    }

    @Test
    void theBrokersHaveNoDefault() {
        for (Map<String, String> config :
                java.util.List.of(
                        Map.<String, String>of(), Map.of("kafka.bootstrap.servers", " "))) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> from(config));
            assertTrue(e.getMessage().contains("kafka.bootstrap.servers"), e.getMessage());
        }
        TrainerSettings s = from(Map.of("kafka.bootstrap.servers", "broker-a:9092,broker-b:9092"));
        assertEquals("broker-a:9092,broker-b:9092", s.bootstrapServers());
        assertEquals(Topics.SAMPLES, s.topic());
    }

    @Test
    void theLaterScaleMustBePositive() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                from(Map.of(
                                                "kafka.bootstrap.servers",
                                                "localhost:9092",
                                                "eagle.trainer.round.later-lr-scale",
                                                "0"))
                                        .validated());
        assertTrue(e.getMessage().contains("later-lr-scale"), e.getMessage());
    }

    @Test
    void theRegistryTimeoutIsAKeyWithTheServicesDefault() {
        assertEquals(
                java.time.Duration.ofSeconds(10),
                from(Map.of("kafka.bootstrap.servers", "localhost:9092")).registry().timeout());
        assertEquals(
                java.time.Duration.ofMinutes(2),
                from(Map.of(
                                "kafka.bootstrap.servers", "localhost:9092",
                                "eagle.trainer.registry.timeout", "2m"))
                        .registry()
                        .timeout());
    }
}
