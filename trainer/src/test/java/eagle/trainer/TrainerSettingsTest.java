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
}
