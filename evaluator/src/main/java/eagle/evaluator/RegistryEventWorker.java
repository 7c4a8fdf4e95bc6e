package eagle.evaluator;

import eagle.contracts.Topics;
import eagle.evaluator.health.WorkerHealth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The consumer loop of {@link Topics#REGISTRY_EVENTS}, framework-free: one record at a time, its
 * offset committed after the handler is done with it; a record the handler wants retried is sought
 * again after a back-off. When the loop stops for any reason other than {@link #stop()}, {@link
 * WorkerHealth} reports the consumer DOWN with the reason.
 */
final class RegistryEventWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(RegistryEventWorker.class);

    /** Handles one record; false asks for it again after the back-off. */
    interface Handler {
        boolean handle(ConsumerRecord<String, String> record);
    }

    private final Consumer<String, String> consumer;
    private final Handler handler;
    private final WorkerHealth health;
    private final Duration backOff;
    private volatile boolean running = true;

    RegistryEventWorker(
            Consumer<String, String> consumer,
            Handler handler,
            WorkerHealth health,
            Duration backOff) {
        this.consumer = consumer;
        this.handler = handler;
        this.health = health;
        this.backOff = backOff;
    }

    @Override
    public void run() {
        try (Consumer<String, String> c = consumer) {
            c.subscribe(List.of(Topics.REGISTRY_EVENTS));
            while (running) {
                ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (!handler.handle(r)) {
                        c.seek(tp, r.offset());
                        pause();
                        break;
                    }
                    c.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
                }
            }
        } catch (WakeupException e) {
            if (running) {
                stopped(e);
            }
        } catch (RuntimeException | Error e) {
            stopped(e);
        }
    }

    /** Ends the loop (from another thread); not a failure. */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    private void stopped(Throwable e) {
        LOG.error("registry-event consumer stopped", e);
        health.failed(WorkerHealth.CONSUMER, "stopped: " + e);
    }

    private void pause() {
        try {
            Thread.sleep(backOff.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
