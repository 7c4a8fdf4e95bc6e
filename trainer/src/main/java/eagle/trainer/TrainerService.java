package eagle.trainer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Runs the {@link TrainerEngine} on its own thread for the life of the Quarkus application and exposes
 * its progress as metrics ({@code eagle_trainer_*} on {@code /q/metrics}).
 */
@ApplicationScoped
public class TrainerService {

    @Inject
    TrainerSettings settings;

    @Inject
    MeterRegistry meters;

    private TrainerEngine engine;
    private Thread worker;
    private final Set<String> fillGauges = new HashSet<>();

    void start(@Observes StartupEvent event) throws IOException {
        if (!settings.enabled()) {
            return;
        }
        engine = new TrainerEngine(settings);
        Gauge.builder("eagle.trainer.round", () -> status().round()).register(meters);
        Gauge.builder("eagle.trainer.step", () -> status().step()).register(meters);
        Gauge.builder("eagle.trainer.loss", () -> status().lastLosses() == null ? Double.NaN : status().lastLosses().total())
                .register(meters);
        Gauge.builder("eagle.trainer.samples.per.second", () -> status().samplesPerSecond()).register(meters);
        Gauge.builder("eagle.trainer.skipped", () -> status().skipped()).register(meters);
        for (SkipReason reason : SkipReason.values()) {
            Gauge.builder("eagle.trainer.skipped.by.reason",
                    () -> engine.status().skippedByReason().getOrDefault(reason.name(), 0L))
                    .tag("reason", reason.name()).register(meters);
        }
        Gauge.builder("eagle.trainer.buffer.size", () -> status().bufferSize()).register(meters);
        Gauge.builder("eagle.trainer.pending.uploads", () -> status().pendingUploads()).register(meters);
        Gauge.builder("eagle.trainer.failed", () -> status().phase() == TrainerPhase.FAILED ? 1 : 0).register(meters);
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
        synchronized (fillGauges) {
            for (String c : s.bufferFill().keySet()) {
                if (fillGauges.add(c)) {
                    Gauge.builder("eagle.trainer.buffer.fill", () -> {
                        Integer v = engine.status().bufferFill().get(c);
                        return v == null ? 0 : v;
                    }).tag("class", c).register(meters);
                }
            }
        }
        return s;
    }

    public void requestRound() {
        engine.requestRound();
    }
}
