package eagle.registry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.RegistryEvent;
import eagle.contracts.Topics;
import eagle.infra.KafkaTestResource;
import eagle.infra.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The outbox: every change becomes one event, in order, keyed by model, even across a Kafka outage.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(KafkaTestResource.class)
class OutboxTest {

    @Inject AgroalDataSource dataSource;

    @Inject ObjectMapper mapper;

    @Test
    void eventsSurviveABrokerOutageAndArriveInOrder() {
        String model = Api.createModel("outbox");
        byte[] artifact = Api.bytes(2000, 77);
        Api.register(model, artifact, null).then().statusCode(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> unsent(model) == 0 && sent(model) == 2);

        KafkaTestResource.stopBroker();
        String evaluationId;
        try {
            Api.upload(model, 1, artifact).then().statusCode(200);
            evaluationId = Api.evaluate(model, 1, true);
            Api.moveAlias(model, "production", 1, "while kafka is down").then().statusCode(200);
            assertEquals(3, unsent(model), "the registry keeps working and keeps the events");
        } finally {
            KafkaTestResource.restartBroker();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> unsent(model) == 0);
        List<ConsumerRecord<String, String>> records = readAll(model, 5);
        List<RegistryEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            assertEquals(model, r.key());
            events.add(read(r.value()));
        }
        assertEquals(
                List.of(
                        RegistryEvent.Type.MODEL_CREATED,
                        RegistryEvent.Type.VERSION_REGISTERED,
                        RegistryEvent.Type.ARTIFACT_STORED,
                        RegistryEvent.Type.EVALUATION_RECORDED,
                        RegistryEvent.Type.ALIAS_MOVED),
                events.stream().map(RegistryEvent::type).toList());
        for (int i = 1; i < events.size(); i++) {
            assertFalse(
                    Instant.parse(events.get(i).at())
                            .isBefore(Instant.parse(events.get(i - 1).at())),
                    "events in commit order");
        }
        assertEquals(5, events.stream().map(RegistryEvent::eventId).distinct().count());
        RegistryEvent moved = events.get(4);
        assertEquals("production", moved.alias());
        assertEquals(1, moved.to());
        assertEquals(null, moved.from());
        assertEquals(Boolean.FALSE, moved.rollback());
        assertEquals(evaluationId, moved.evaluationId());
        assertEquals(Api.sha256(artifact), moved.sha256());
        assertEquals(Boolean.TRUE, events.get(3).passed());
        assertEquals("tester", events.get(2).actor());
    }

    @Test
    void aRefusedChangeWritesNoEvent() {
        String model = Api.createModel("noevent");
        byte[] artifact = Api.bytes(100, 78);
        Api.register(model, artifact, null).then().statusCode(201);
        byte[] wrong = artifact.clone();
        wrong[0] ^= 1;
        Api.upload(model, 1, wrong).then().statusCode(422);
        Api.moveAlias(model, "production", 1, "not ready").then().statusCode(409);
        assertEquals(2, unsent(model) + sent(model), "only MODEL_CREATED and VERSION_REGISTERED");
        await().atMost(Duration.ofSeconds(30)).until(() -> unsent(model) == 0);
    }

    private RegistryEvent read(String json) {
        try {
            return mapper.readValue(json, RegistryEvent.class);
        } catch (Exception e) {
            throw new AssertionError("not a RegistryEvent: " + json, e);
        }
    }

    /**
     * Reads the topic from the beginning until {@code n} records with key {@code model} have
     * arrived.
     */
    private List<ConsumerRecord<String, String>> readAll(String model, int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "outbox-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> mine = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(Topics.REGISTRY_EVENTS));
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> {
                                for (ConsumerRecord<String, String> r :
                                        consumer.poll(Duration.ofMillis(200))) {
                                    if (model.equals(r.key())) {
                                        mine.add(r);
                                    }
                                }
                                return mine.size() >= n;
                            });
        }
        assertTrue(mine.size() == n, "exactly " + n + " events, got " + mine.size());
        return mine;
    }

    private long unsent(String model) {
        return count("select count(*) from outbox where msg_key = ? and sent_at is null", model);
    }

    private long sent(String model) {
        return count(
                "select count(*) from outbox where msg_key = ? and sent_at is not null", model);
    }

    private long count(String sql, String model) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
