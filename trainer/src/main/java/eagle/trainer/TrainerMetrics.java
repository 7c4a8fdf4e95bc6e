package eagle.trainer;

import eagle.core.train.StepLosses;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The trainer's domain metrics on {@code /q/metrics}, all named {@code trainer_*}
 * (trainer/README.md lists them): progress of the current round, the latest step's losses per
 * component (docs/METHOD.md §3), steps, rounds and samples consumed with their durations, skips per
 * reason, the replay buffer and pending uploads. Every meter reads the engine's {@link
 * StatusBoard}, so nothing here runs on the training thread.
 */
final class TrainerMetrics {

    private final TrainerEngine engine;
    private final MeterRegistry meters;
    private final Set<String> fillGauges = new HashSet<>();

    TrainerMetrics(TrainerEngine engine, MeterRegistry meters) {
        this.engine = engine;
        this.meters = meters;
        Gauge.builder("trainer.round", () -> engine.status().round())
                .description("the current round (or the last completed one while waiting)")
                .register(meters);
        Gauge.builder("trainer.step", () -> engine.status().step())
                .description("steps done in the current round")
                .register(meters);
        loss("total", StepLosses::total);
        loss("ins", StepLosses::ins);
        loss("ce", StepLosses::ce);
        loss("retention", StepLosses::retention);
        Gauge.builder("trainer.samples.per.second", () -> engine.status().samplesPerSecond())
                .description("images per second over the current round's steps")
                .register(meters);
        FunctionCounter.builder("trainer.steps", engine, e -> e.totals().steps())
                .description("training steps done by this process")
                .register(meters);
        FunctionTimer.builder(
                        "trainer.step.duration",
                        engine,
                        e -> e.totals().steps(),
                        e -> e.totals().stepSeconds(),
                        TimeUnit.SECONDS)
                .description("duration of the training steps")
                .register(meters);
        FunctionTimer.builder(
                        "trainer.round.duration",
                        engine,
                        e -> e.totals().rounds(),
                        e -> e.totals().roundSeconds(),
                        TimeUnit.SECONDS)
                .description("duration of the rounds, from their start to their close")
                .register(meters);
        FunctionCounter.builder(
                        "trainer.samples.consumed", engine, e -> e.totals().samplesConsumed())
                .description("new samples taken into rounds by this process")
                .register(meters);
        Gauge.builder("trainer.skipped", () -> engine.status().skipped())
                .description("records, images and instances skipped since the state was created")
                .register(meters);
        for (SkipReason reason : SkipReason.values()) {
            Gauge.builder(
                            "trainer.skipped.by.reason",
                            () -> engine.status().skippedByReason().getOrDefault(reason.name(), 0L))
                    .tag("reason", reason.name())
                    .description("skips per reason since the state was created")
                    .register(meters);
        }
        Gauge.builder("trainer.buffer.size", () -> engine.status().bufferSize())
                .description("images in the replay buffer")
                .register(meters);
        Gauge.builder("trainer.pending.uploads", () -> engine.status().pendingUploads())
                .description("candidates on disk not yet accepted by the registry")
                .register(meters);
        Gauge.builder(
                        "trainer.failed",
                        () -> engine.status().phase() == TrainerPhase.FAILED ? 1 : 0)
                .description("1 while the engine has failed")
                .register(meters);
    }

    private void loss(String component, ToDoubleFunction<StepLosses> part) {
        Gauge.builder(
                        "trainer.loss",
                        () -> {
                            StepLosses l = engine.status().lastLosses();
                            return l == null ? Double.NaN : part.applyAsDouble(l);
                        })
                .tag("component", component)
                .description("the latest step's loss, per component")
                .register(meters);
    }

    /**
     * Registers a {@code trainer_buffer_fill{class}} gauge for each class the status shows for the
     * first time.
     */
    void classesSeen(TrainerStatus status) {
        synchronized (fillGauges) {
            for (String c : status.bufferFill().keySet()) {
                if (fillGauges.add(c)) {
                    Gauge.builder(
                                    "trainer.buffer.fill",
                                    () -> engine.status().bufferFill().getOrDefault(c, 0))
                            .tag("class", c)
                            .description("replay buffer images per class")
                            .register(meters);
                }
            }
        }
    }
}
