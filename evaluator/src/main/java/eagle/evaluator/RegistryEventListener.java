package eagle.evaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.RegistryEvent;
import eagle.contracts.Topics;
import eagle.evaluator.service.EvaluationPipeline;
import eagle.evaluator.service.Outcome;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes {@link Topics#REGISTRY_EVENTS} with a plain {@link KafkaConsumer} on one thread: every
 * {@code ARTIFACT_STORED} (a version became usable) is a new candidate for {@link EvaluationPipeline}.
 * Offsets are committed after a record is handled, so a restart re-runs an interrupted evaluation; the pipeline
 * recognises an evaluation already recorded on the same suite id and does not record it twice. Events are
 * deduplicated on {@code eventId} within a run. A record that cannot be parsed is logged and skipped; an error
 * of the registry is retried from the same offset after a back-off.
 */
@ApplicationScoped
public class RegistryEventListener {

    private static final Logger LOG = Logger.getLogger(RegistryEventListener.class);

    @Inject
    EvaluatorConfig config;

    @Inject
    EvaluationPipeline pipeline;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean running;
    private Thread thread;

    void start(@Observes StartupEvent ev) {
        if (!config.listen()) {
            return;
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        // one evaluation may take minutes on the full suite
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, String.valueOf(Duration.ofMinutes(60).toMillis()));
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        running = true;
        thread = new Thread(this::loop, "evaluator-registry-events");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    /** The outcome per model/version handled by this run (for the status endpoint and tests). */
    public Map<String, Outcome> outcomes() {
        return Map.copyOf(outcomes);
    }

    private void loop() {
        try (KafkaConsumer<String, String> c = consumer) {
            c.subscribe(List.of(Topics.REGISTRY_EVENTS));
            while (running) {
                ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> r : records) {
                    if (!handle(r)) {
                        // registry unavailable: retry this record after a back-off, from the same offset
                        c.seek(new TopicPartition(r.topic(), r.partition()), r.offset());
                        backOff();
                        break;
                    }
                    Map<TopicPartition, OffsetAndMetadata> commit = new LinkedHashMap<>();
                    commit.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    c.commitSync(commit);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("registry-event consumer woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("registry-event consumer stopped", e);
        }
    }

    /** @return false when the record should be retried */
    boolean handle(ConsumerRecord<String, String> r) {
        RegistryEvent e;
        try {
            e = json.readValue(r.value(), RegistryEvent.class);
        } catch (Exception ex) {
            LOG.errorf("skipping unreadable registry event at %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                    ex.getMessage());
            return true;
        }
        if (e.type() != RegistryEvent.Type.ARTIFACT_STORED || e.version() == null
                || seen.putIfAbsent(e.eventId(), Boolean.TRUE) != null) {
            return true;
        }
        try {
            Outcome o = pipeline.evaluateCandidate(e.model(), e.version());
            outcomes.put(e.model() + "/" + e.version(), o);
            LOG.infof("%s v%d: %s (%s)", e.model(), e.version(), o.status(), o.reason());
            return true;
        } catch (eagle.evaluator.registry.RegistryException ex) {
            if (ex.status() >= 400 && ex.status() < 500) {
                // a refusal is not transient: record it and move on
                outcomes.put(e.model() + "/" + e.version(), new Outcome(
                        Outcome.Status.SKIPPED, null, null, ex.getMessage()));
                LOG.errorf("evaluating %s v%d refused by the registry: %s", e.model(), e.version(), ex.getMessage());
                return true;
            }
            seen.remove(e.eventId());
            LOG.errorf(ex, "evaluating %s v%d failed; will retry", e.model(), e.version());
            return false;
        } catch (RuntimeException ex) {
            seen.remove(e.eventId());
            LOG.errorf(ex, "evaluating %s v%d failed; will retry", e.model(), e.version());
            return false;
        }
    }

    private void backOff() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
