package eagle.trainer;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;

/**
 * Runs the {@link TrainerEngine} on its own thread for the life of the Quarkus application and
 * exposes its progress as metrics ({@link TrainerMetrics}: {@code trainer_*} on {@code
 * /q/metrics}).
 */
@ApplicationScoped
public class TrainerService {

    @Inject TrainerSettings settings;

    @Inject MeterRegistry meters;

    private TrainerEngine engine;
    private Thread worker;
    private TrainerMetrics metrics;

    void start(@Observes StartupEvent event) throws IOException {
        if (!settings.enabled()) {
            return;
        }
        engine = new TrainerEngine(settings);
        metrics = new TrainerMetrics(engine, meters);
        worker = new Thread(engine, "eagle-trainer");
        worker.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (engine != null) {
            engine.stop();
            worker.join(30_000);
        }
    }

    /** The engine's status; null when the trainer is disabled. */
    public TrainerStatus status() {
        if (engine == null) {
            return null;
        }
        TrainerStatus s = engine.status();
        metrics.classesSeen(s);
        return s;
    }

    public void requestRound() {
        engine.requestRound();
    }
}
