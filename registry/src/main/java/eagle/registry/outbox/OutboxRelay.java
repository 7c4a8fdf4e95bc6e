package eagle.registry.outbox;

import eagle.registry.RegistrySettings;
import eagle.registry.model.OutboxEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The publishing side of the transactional outbox: every poll interval it takes the unsent rows in
 * the order they were written, sends them to Kafka (idempotent producer, acks=all, key = model
 * name) and marks the ones the broker acknowledged as sent, in one transaction.
 *
 * <p>While Kafka is down the sends time out, nothing is marked, and the rows wait; once the broker
 * is back the next poll publishes them in order. Only the acknowledged prefix of a batch is marked,
 * so the relay never skips an event; after a crash between the acknowledgement and the commit an
 * event can be sent twice (at least once; consumers deduplicate on {@code eventId}). A
 * transaction-scoped advisory lock lets only one relay of several registry replicas publish at a
 * time, which keeps the order.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** pg advisory lock key of the relay ("eagle-outbox" as a number). */
    private static final long RELAY_LOCK = 0x6561676c655f6f62L;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject RegistrySettings settings;

    @Inject EntityManager em;

    @Inject MeterRegistry meters;

    private Producer<String, String> producer;
    private volatile boolean topicReady;
    private volatile boolean stopping;
    private Counter published;
    private Counter failures;
    private final AtomicLong pending = new AtomicLong();

    /** When the oldest unsent row was written, as of the last poll; null when none was waiting. */
    private final AtomicReference<Instant> oldestUnsent = new AtomicReference<>();

    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Instant> lastPublished = new AtomicReference<>();

    @PostConstruct
    void init() {
        published = meters.counter("registry.outbox.published");
        failures = meters.counter("registry.outbox.failures");
        meters.gauge("registry.outbox.pending", pending);
        // the outbox lag: how long the oldest unpublished event has waited (0 when none waits); it
        // keeps growing
        // while the relay cannot publish, since it is read against the clock
        io.micrometer.core.instrument.Gauge.builder(
                        "registry.outbox.lag", oldestUnsent, OutboxRelay::ageSeconds)
                .baseUnit("seconds")
                .description("age of the oldest unpublished outbox row")
                .register(meters);
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Scheduled(
            every = "${eagle.registry.outbox.poll-interval}",
            delayed = "${eagle.registry.outbox.initial-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (!settings.outbox().enabled() || stopping) {
            return;
        }
        try {
            publishPending();
        } catch (RuntimeException e) {
            note(e); // e.g. PostgreSQL unreachable: the rows are safe where they are; retry next
            // poll
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Publishes batches until the outbox is empty or a send fails; returns how many events were
     * published.
     */
    public synchronized int publishPending() {
        int total = 0;
        while (true) {
            int[] sentAndTaken =
                    QuarkusTransaction.requiringNew()
                            .timeout(timeoutSeconds())
                            .call(this::publishBatch);
            total += sentAndTaken[0];
            if (sentAndTaken[0] < sentAndTaken[1]
                    || sentAndTaken[1] < settings.outbox().batchSize()) {
                break;
            }
        }
        pending.set(QuarkusTransaction.requiringNew().call(OutboxEvent::pending));
        oldestUnsent.set(QuarkusTransaction.requiringNew().call(OutboxEvent::oldestUnsent));
        return total;
    }

    private static double ageSeconds(AtomicReference<Instant> oldest) {
        Instant at = oldest.get();
        return at == null ? 0.0 : Math.max(0, Duration.between(at, Instant.now()).toNanos() / 1e9);
    }

    /**
     * One transaction: lock, read a batch, send it, mark the acknowledged prefix. Returns {sent,
     * taken}.
     */
    private int[] publishBatch() {
        Boolean leader =
                (Boolean)
                        em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                                .setParameter(1, RELAY_LOCK)
                                .getSingleResult();
        if (!Boolean.TRUE.equals(leader)) {
            return new int[] {0, 0};
        }
        List<OutboxEvent> batch = OutboxEvent.unsent(settings.outbox().batchSize());
        if (batch.isEmpty()) {
            return new int[] {0, 0};
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        try {
            ensureTopic(batch.get(0).topic);
            for (OutboxEvent row : batch) {
                ProducerRecord<String, String> record =
                        new ProducerRecord<>(row.topic, row.key, row.payload);
                record.headers()
                        .add("eventId", row.eventId.toString().getBytes(StandardCharsets.UTF_8));
                acks.add(producer().send(record));
            }
        } catch (RuntimeException e) {
            note(e); // e.g. metadata not available within max.block.ms while the broker is down
        }
        Instant now = Instant.now();
        int sent = 0;
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(settings.outbox().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                note(e);
                break;
            } catch (Exception e) {
                note(e);
                break;
            }
            batch.get(sent).sentAt = now;
            sent++;
        }
        if (sent > 0) {
            published.increment(sent);
            lastPublished.set(now);
            if (sent == batch.size()) {
                lastError.set(null);
            }
        }
        return new int[] {sent, batch.size()};
    }

    private void note(Exception e) {
        failures.increment();
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!message.equals(lastError.getAndSet(message))) {
            LOG.warnf("outbox relay could not publish (will retry): %s", message);
        }
    }

    /**
     * Creates the events topic (broker-default replication) unless it exists, once, when {@code
     * eagle.registry.outbox.create-topic} is on; a deployment that manages topics turns it off.
     */
    private void ensureTopic(String topic) {
        if (topicReady || !settings.outbox().createTopic()) {
            return;
        }
        long timeout = settings.outbox().sendTimeout().toMillis();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout / 2));
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(
                                            topic,
                                            Optional.of(settings.outbox().topicPartitions()),
                                            Optional.empty())))
                    .all()
                    .get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("cannot create topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted creating topic " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaException("timed out creating topic " + topic, e);
        }
        topicReady = true;
    }

    private int timeoutSeconds() {
        return (int) Math.max(30, settings.outbox().sendTimeout().toSeconds() * 3);
    }

    private synchronized Producer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                    "5"); // ordered under idempotence
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "eagle-registry-outbox");
            long timeout = settings.outbox().sendTimeout().toMillis();
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
            p.put(
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    Long.toString(Math.max(1000, timeout / 2)));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout));
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    /** Rows not yet acknowledged by Kafka, as of the last poll. */
    public long pending() {
        return pending.get();
    }

    /** The last send failure, or null when the last poll published everything it took. */
    public String lastError() {
        return lastError.get();
    }

    public Instant lastPublished() {
        return lastPublished.get();
    }
}
