package eagle.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.OffsetRange;
import eagle.infra.KafkaTestResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * A round that throws on its data (a fault injected into every step whose batch holds one of round
 * 1's images) stops the engine: phase FAILED, health DOWN with the reason, the failure recorded. A
 * restart with the same fault does not fail again: round 1 is abandoned, its intake skipped and
 * counted, and the next samples train round 2 to a candidate.
 */
class FailedRoundTest {

    static final String TOPIC = "failed-round-samples";

    @Test
    void aRoundThatFailsOnItsDataStopsTheEngineOnceAndIsAbandonedOnRestart() throws Exception {
        Path work = Path.of("target", "failed-round-" + System.nanoTime()).toAbsolutePath();
        Path blobs = work.resolve("blobs");
        TestWorld.writeBase(work.resolve("base"));
        KafkaTestResource.createTopic(TOPIC, 1, false);
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaTestResource.bootstrapServers());
        p.put("acks", "all");
        KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        for (int i = 0; i < 4; i++) { // round 1's intake: offsets 0..3
            producer.send(
                            new ProducerRecord<>(
                                    TOPIC,
                                    0,
                                    "poison-" + i,
                                    TestWorld.sample(
                                            blobs,
                                            "poison-" + i,
                                            i % 2 == 0 ? "red square" : "blue circle",
                                            i)))
                    .get(30, TimeUnit.SECONDS);
        }
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", KafkaTestResource.bootstrapServers());
        config.put("eagle.trainer.topic", TOPIC);
        config.put("eagle.trainer.group-id", "failed-round-test");
        config.put("eagle.trainer.state-dir", work.resolve("state").toString());
        config.put("eagle.trainer.blob-root", blobs.toString());
        config.put("eagle.trainer.base-dir", work.resolve("base").toString());
        config.put("eagle.trainer.round.min-samples", "4");
        config.put("eagle.trainer.round.steps", "3");
        config.put("eagle.trainer.round.rank", "8");
        config.put("eagle.trainer.poll-ms", "100");
        RoundFault poison =
                (round, ids) -> {
                    if (ids.stream().anyMatch(id -> id.startsWith("poison-"))) {
                        throw new IllegalArgumentException("injected fault: batch holds " + ids);
                    }
                };
        StateStore store = new StateStore(work.resolve("state"));

        try (EngineThread first = new EngineThread(config, poison)) {
            await().atMost(Duration.ofSeconds(300)).until(first::ended);
            TrainerStatus status = first.status();
            assertEquals(TrainerPhase.FAILED, status.phase());
            assertTrue(status.error().contains("injected fault"), status.error());
            HealthCheckResponse health = TrainerHealth.of(status);
            assertEquals(HealthCheckResponse.Status.DOWN, health.getStatus());
            assertTrue(
                    String.valueOf(health.getData().orElseThrow().get("reason"))
                            .contains("injected fault"));
            FailedRound failure = store.readFailure(1).orElseThrow();
            assertEquals(List.of(OffsetRange.of(TOPIC, 0, 0, 4)), failure.state().manifest());
            assertFalse(Files.exists(store.candidateDir(1)));
        }

        try (EngineThread second = new EngineThread(config, poison)) {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> second.status().completedRounds() == 1 || second.ended());
            assertEquals(Map.of("FAILED_ROUND", 4L), second.status().skippedByReason());
            assertEquals(
                    HealthCheckResponse.Status.UP, TrainerHealth.of(second.status()).getStatus());
            for (int i = 0; i < 4; i++) { // round 2's intake: offsets 4..7
                producer.send(
                                new ProducerRecord<>(
                                        TOPIC,
                                        0,
                                        "good-" + i,
                                        TestWorld.sample(
                                                blobs,
                                                "good-" + i,
                                                i % 2 == 0 ? "red square" : "blue circle",
                                                i + 8)))
                        .get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(300))
                    .until(() -> second.status().completedRounds() == 2 || second.ended());
            assertEquals(TrainerPhase.WAITING, second.status().phase(), second.status().error());
        } finally {
            producer.close();
        }
        Candidate c =
                new ObjectMapper()
                        .readValue(
                                store.candidateDir(2).resolve(Candidate.META).toFile(),
                                Candidate.class);
        assertEquals(List.of(OffsetRange.of(TOPIC, 0, 4, 8)), c.manifest());
        assertEquals(3, c.losses().size());
        assertFalse(Files.exists(store.candidateDir(1)), "the failed round produced a candidate");
        DurableState state = store.readState().orElseThrow();
        assertTrue(
                state.buffer().values().keySet().stream()
                        .noneMatch(id -> id.startsWith("poison-")));
    }
}
