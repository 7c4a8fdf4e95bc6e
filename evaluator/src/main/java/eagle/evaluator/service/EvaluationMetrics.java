package eagle.evaluator.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The evaluator's meters (Prometheus at {@code /q/metrics}):
 *
 * <ul>
 *   <li>{@code evaluator.evaluations}: one per operation of {@link EvaluationPipeline}, tagged
 *       {@code operation} (candidate, recheck, rollback) and {@code outcome} ({@link
 *       Outcome.Status}, lower case; {@code failed} when it threw);
 *   <li>{@code evaluator.evaluation.duration}: the time of each operation, tagged {@code
 *       operation};
 *   <li>{@code evaluator.verdicts}: one per recorded evaluation (docs/METHOD.md §7), tagged {@code
 *       purpose} (candidate, recheck) and {@code verdict} (blessed, not_blessed, rejected: the
 *       artifact was unusable).
 * </ul>
 */
public final class EvaluationMetrics {

    public static final String EVALUATIONS = "evaluator.evaluations";
    public static final String DURATION = "evaluator.evaluation.duration";
    public static final String VERDICTS = "evaluator.verdicts";

    private final MeterRegistry meters;

    public EvaluationMetrics(MeterRegistry meters) {
        this.meters = meters;
        for (String op : new String[] {"candidate", "recheck", "rollback"}) {
            duration(op);
        }
    }

    /** Meters nobody reads (a pipeline built without a service around it). */
    public static EvaluationMetrics unregistered() {
        return new EvaluationMetrics(new SimpleMeterRegistry());
    }

    private Timer duration(String operation) {
        return Timer.builder(DURATION)
                .description("time of one evaluator operation")
                .tag("operation", operation)
                .publishPercentileHistogram()
                .register(meters);
    }

    /** Runs {@code work}, timing it and counting its outcome. */
    Outcome measure(String operation, Supplier<Outcome> work) {
        Timer.Sample started = Timer.start(meters);
        String outcome = "failed";
        try {
            Outcome o = work.get();
            outcome = o.status().name().toLowerCase(Locale.ROOT);
            return o;
        } finally {
            started.stop(duration(operation));
            meters.counter(EVALUATIONS, "operation", operation, "outcome", outcome).increment();
        }
    }

    void verdict(String purpose, String verdict) {
        meters.counter(VERDICTS, "purpose", purpose, "verdict", verdict).increment();
    }
}
