package eagle.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A generated corpus of more than 200 malformed annotation records (every reason code, several
 * variants each) published to the live platform: each one lands in the dead-letter topic with the
 * reason it was made for, the good records among them become samples, and all five services stay
 * up.
 */
@Order(3)
class MalformedCorpusTest {

    @Test
    void everyMalformedRecordIsDeadLetteredWithItsReasonAndTheServicesStayUp() throws Exception {
        Platform platform = Platform.get();
        MalformedCorpus corpus = new MalformedCorpus(platform.dir.resolve("corpus"), "corpus", 11);
        assertTrue(corpus.bad().size() >= 200, "corpus of " + corpus.bad().size());

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (MalformedCorpus.Case c : corpus.good()) {
                sent.add(
                        producer.send(
                                new ProducerRecord<>(Topics.ANNOTATIONS, c.key(), c.value())));
            }
            for (MalformedCorpus.Case c : corpus.bad()) {
                sent.add(
                        producer.send(
                                new ProducerRecord<>(Topics.ANNOTATIONS, c.key(), c.value())));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }

        // original bytes (base64) → expected reason
        Map<String, MalformedCorpus.Case> byOriginal = new HashMap<>();
        corpus.bad().forEach(c -> byOriginal.put(Base64.getEncoder().encodeToString(c.value()), c));
        assertEquals(
                corpus.bad().size(), byOriginal.size(), "corpus cases must have distinct bytes");
        AtomicReference<Map<String, JsonNode>> letters = new AtomicReference<>();
        await("dead letters for the whole corpus")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            Map<String, JsonNode> found = new HashMap<>();
                            for (ConsumerRecord<String, byte[]> r :
                                    platform.readAll(Topics.ANNOTATIONS_DLQ)) {
                                JsonNode d =
                                        Platform.readTree(
                                                new String(r.value(), StandardCharsets.UTF_8));
                                if (byOriginal.containsKey(d.path("originalValue").asText())) {
                                    found.put(d.path("originalValue").asText(), d);
                                }
                            }
                            letters.set(found);
                            return found.size() == byOriginal.size();
                        });

        List<String> wrong = new ArrayList<>();
        Map<String, Integer> perReason = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> e : letters.get().entrySet()) {
            MalformedCorpus.Case c = byOriginal.get(e.getKey());
            String reason = e.getValue().path("reason").asText();
            perReason.merge(reason, 1, Integer::sum);
            if (!c.expected().name().equals(reason)) {
                wrong.add(
                        c.key()
                                + ": expected "
                                + c.expected()
                                + ", got "
                                + reason
                                + " ("
                                + e.getValue().path("error").asText()
                                + ")");
            }
            if (e.getValue().path("error").asText().isBlank()) {
                wrong.add(c.key() + ": no error text");
            }
        }
        assertTrue(
                wrong.isEmpty(),
                wrong.size() + " records with the wrong reason:\n" + String.join("\n", wrong));
        Map<eagle.contracts.DeadLetter.Reason, Integer> expected =
                new EnumMap<>(eagle.contracts.DeadLetter.Reason.class);
        corpus.bad().forEach(c -> expected.merge(c.expected(), 1, Integer::sum));
        assertEquals(
                eagle.contracts.DeadLetter.Reason.values().length,
                expected.size(),
                "every reason code is exercised");
        System.out.println("dead letters per reason: " + perReason);

        // the good records among them became samples: a dead letter goes out at once, a sample at
        // the next emit interval (1 s), so the last good records' samples may still be on the way
        AtomicReference<Map<String, JsonNode>> emitted = new AtomicReference<>();
        await("samples of the corpus' good records")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            emitted.set(platform.samples());
                            return corpus.good().stream()
                                    .allMatch(c -> emitted.get().containsKey(c.key()));
                        });
        Map<String, JsonNode> samples = emitted.get();
        for (MalformedCorpus.Case c : corpus.good()) {
            assertTrue(samples.containsKey(c.key()), c.key() + " is not a sample");
            assertEquals(1, samples.get(c.key()).path("instances").size(), c.key());
        }
        for (ServiceProcess s : platform.services.values()) {
            assertTrue(s.isAlive() && s.ready(), s + " is not up after the corpus");
        }
    }
}
