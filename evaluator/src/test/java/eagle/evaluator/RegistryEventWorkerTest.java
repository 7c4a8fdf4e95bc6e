package eagle.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.contracts.Topics;
import eagle.evaluator.health.EvaluationWorkerCheck;
import eagle.evaluator.health.WorkerHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The consumer loop: offsets committed after each record; a loop that dies makes readiness and
 * liveness DOWN.
 */
class RegistryEventWorkerTest {

    private static final TopicPartition TP = new TopicPartition(Topics.REGISTRY_EVENTS, 0);

    private static MockConsumer<String, String> consumer() {
        MockConsumer<String, String> c = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        c.schedulePollTask(
                () -> {
                    c.rebalance(List.of(TP));
                    c.updateBeginningOffsets(Map.of(TP, 0L));
                });
        return c;
    }

    @Test
    void aConsumerThatFailsMakesTheWorkerDownWithTheReason() {
        MockConsumer<String, String> c = consumer();
        List<String> handled = new ArrayList<>();
        c.schedulePollTask(
                () ->
                        c.addRecord(
                                new ConsumerRecord<>(Topics.REGISTRY_EVENTS, 0, 0, "k", "first")));
        List<Long> committedBeforeFailure = new ArrayList<>();
        c.schedulePollTask(
                () -> {
                    committedBeforeFailure.add(c.committed(Set.of(TP)).get(TP).offset());
                    c.setPollException(new KafkaException("forced: broker unreachable"));
                });
        WorkerHealth health = new WorkerHealth();
        EvaluationWorkerCheck check = new EvaluationWorkerCheck(health);
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());

        // runs on this thread and returns when the loop has stopped
        new RegistryEventWorker(c, r -> handled.add(r.value()), health, Duration.ZERO).run();

        assertEquals(List.of("first"), handled);
        assertEquals(List.of(1L), committedBeforeFailure, "committed after the record");
        HealthCheckResponse down = check.call();
        assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
        assertEquals(EvaluationWorkerCheck.NAME, down.getName());
        String reason = String.valueOf(down.getData().orElseThrow().get(WorkerHealth.CONSUMER));
        assertTrue(reason.contains("forced: broker unreachable"), reason);
    }

    @Test
    void aFailingEngineIsDownUntilItScoresAgain() {
        WorkerHealth health = new WorkerHealth();
        EvaluationWorkerCheck check = new EvaluationWorkerCheck(health);
        health.failed(WorkerHealth.ENGINE, "cannot score the base encoder: out of memory");
        HealthCheckResponse down = check.call();
        assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
        assertEquals(
                "cannot score the base encoder: out of memory",
                down.getData().orElseThrow().get(WorkerHealth.ENGINE));
        health.recovered(WorkerHealth.ENGINE);
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());
    }

    @Test
    void stopIsNotAFailure() {
        MockConsumer<String, String> c = consumer();
        WorkerHealth health = new WorkerHealth();
        RegistryEventWorker worker = new RegistryEventWorker(c, r -> true, health, Duration.ZERO);
        c.schedulePollTask(worker::stop);
        worker.run();
        assertTrue(health.failures().isEmpty(), health.failures().toString());
    }
}
