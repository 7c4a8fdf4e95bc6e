package eagle.evaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.RegistryRefusedException;
import eagle.contracts.RegistryEvent;
import eagle.contracts.Topics;
import eagle.evaluator.health.WorkerHealth;
import eagle.evaluator.service.EngineFailure;
import eagle.evaluator.service.EvaluationPipeline;
import eagle.evaluator.service.Outcome;
import eagle.evaluator.service.SuiteUnavailable;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes {@link Topics#REGISTRY_EVENTS} with a plain {@link KafkaConsumer} on one thread ({@link
 * RegistryEventWorker}): every {@code ARTIFACT_STORED} (a version became usable) is a new candidate
 * for {@link EvaluationPipeline}. Offsets are committed after a record is handled, so a restart
 * re-runs an interrupted evaluation; the pipeline recognises an evaluation already recorded on the
 * same suite id and does not record it twice. Events are deduplicated on {@code eventId} within a
 * run. A record that cannot be parsed is logged and skipped; a refusal of the registry (4xx) is
 * kept as the outcome and skipped; an unavailable registry or a failing engine is retried from the
 * same offset after a back-off, the engine's failure reported by {@link WorkerHealth} until it
 * scores again.
 */
@ApplicationScoped
public class RegistryEventListener {

    private static final Logger LOG = Logger.getLogger(RegistryEventListener.class);
    private static final Duration BACK_OFF = Duration.ofSeconds(2);

    @Inject EvaluatorConfig config;

    @Inject EvaluationPipeline pipeline;

    @Inject WorkerHealth health;

    @Inject ObjectMapper json;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private RegistryEventWorker worker;
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
        p.put(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                String.valueOf(Duration.ofMinutes(60).toMillis()));
        worker =
                new RegistryEventWorker(
                        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer()),
                        this::handle,
                        health,
                        BACK_OFF);
        thread = new Thread(worker, "evaluator-registry-events");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        if (worker != null) {
            worker.stop();
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    /** The outcome per model/version handled by this run (for the status endpoint and tests). */
    public Map<String, Outcome> outcomes() {
        return Map.copyOf(outcomes);
    }

    /**
     * @return false when the record should be retried
     */
    boolean handle(ConsumerRecord<String, String> r) {
        RegistryEvent e;
        try {
            e = json.readValue(r.value(), RegistryEvent.class);
        } catch (Exception ex) {
            LOG.errorf(
                    "skipping unreadable registry event at %s-%d@%d: %s",
                    r.topic(), r.partition(), r.offset(), ex.getMessage());
            return true;
        }
        if (e.type() != RegistryEvent.Type.ARTIFACT_STORED
                || e.version() == null
                || seen.putIfAbsent(e.eventId(), Boolean.TRUE) != null) {
            return true;
        }
        String key = e.model() + "/" + e.version();
        try {
            Outcome o = pipeline.evaluateCandidate(e.model(), e.version());
            health.recovered(WorkerHealth.ENGINE);
            health.recovered(WorkerHealth.SUITE);
            outcomes.put(key, o);
            LOG.infof("%s v%d: %s (%s)", e.model(), e.version(), o.status(), o.reason());
            return true;
        } catch (RegistryRefusedException ex) {
            // a refusal is not transient: keep it and move on
            outcomes.put(key, new Outcome(Outcome.Status.SKIPPED, null, null, ex.getMessage()));
            LOG.errorf(
                    "evaluating %s v%d refused by the registry: %s",
                    e.model(), e.version(), ex.getMessage());
            return true;
        } catch (SuiteUnavailable ex) {
            health.failed(WorkerHealth.SUITE, ex.getMessage());
            seen.remove(e.eventId());
            LOG.errorf(
                    "evaluating %s v%d: %s; will retry", e.model(), e.version(), ex.getMessage());
            return false;
        } catch (EngineFailure ex) {
            health.failed(WorkerHealth.ENGINE, ex.getMessage());
            seen.remove(e.eventId());
            LOG.errorf(
                    ex, "evaluating %s v%d: the engine failed; will retry", e.model(), e.version());
            return false;
        } catch (RuntimeException ex) {
            seen.remove(e.eventId());
            LOG.errorf(ex, "evaluating %s v%d failed; will retry", e.model(), e.version());
            return false;
        }
    }
}
