package eagle.ingest;

import eagle.contracts.DeadLetter;
import eagle.contracts.DeadLetter.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What the topology observed in this process, counted from the service's start (nothing here
 * survives a restart; a record reprocessed after an aborted transaction counts again):
 *
 * <ul>
 *   <li>Micrometer meters (Prometheus at {@code /q/metrics}): {@code ingest.records} (annotation
 *       records consumed), {@code ingest.instances.validated} (annotations accepted), {@code
 *       ingest.dead.letters} tagged {@code reason} (every reason code registered from the start),
 *       and the timer {@code ingest.emission.lag}: from the moment an image was first marked
 *       pending to its sample's emission (docs/ARCHITECTURE.md, Events);
 *   <li>for {@code GET /statistics/flow}: records and validated instances per second over the last
 *       {@link #RATE_SECONDS} complete seconds, and the {@link DeadLetterLog}.
 * </ul>
 *
 * Shared by every stream thread; thread-safe.
 */
public final class IngestMetrics {

    public static final String RECORDS = "ingest.records";
    public static final String VALIDATED = "ingest.instances.validated";
    public static final String DEAD_LETTERS = "ingest.dead.letters";
    public static final String EMISSION_LAG = "ingest.emission.lag";

    /** The window of the per-second rates. */
    public static final int RATE_SECONDS = 10;

    /**
     * How many dead letters {@code GET /statistics/dead-letters} shows, and how many bytes of each
     * record.
     */
    public static final int KEPT_DEAD_LETTERS = 20;

    public static final int EXCERPT_BYTES = 512;

    /** Counts and rates at one moment. */
    public record Flow(
            Instant since,
            Instant at,
            long records,
            long validatedInstances,
            long deadLetters,
            double recordsPerSecond,
            double validatedInstancesPerSecond,
            int rateWindowSeconds,
            long emissions,
            double emissionLagMeanMillis,
            double emissionLagMaxMillis) {}

    private final LongSupplier clock;
    private final Instant since;
    private final Counter records;
    private final Counter validated;
    private final Map<Reason, Counter> deadLetters = new EnumMap<>(Reason.class);
    private final Timer emissionLag;
    private final RateWindow recordRate = new RateWindow(RATE_SECONDS);
    private final RateWindow validatedRate = new RateWindow(RATE_SECONDS);
    private final DeadLetterLog letters = new DeadLetterLog(KEPT_DEAD_LETTERS, EXCERPT_BYTES);

    public IngestMetrics(MeterRegistry meters) {
        this(meters, System::currentTimeMillis);
    }

    /**
     * @param clock wall-clock milliseconds (for the rates)
     */
    public IngestMetrics(MeterRegistry meters, LongSupplier clock) {
        this.clock = clock;
        this.since = Instant.ofEpochMilli(clock.getAsLong());
        this.records =
                Counter.builder(RECORDS)
                        .description("annotation records consumed")
                        .register(meters);
        this.validated =
                Counter.builder(VALIDATED)
                        .description("annotations validated and accepted")
                        .register(meters);
        for (Reason r : Reason.values()) {
            deadLetters.put(
                    r,
                    Counter.builder(DEAD_LETTERS)
                            .tag("reason", r.name())
                            .description("records dead-lettered, by reason code")
                            .register(meters));
        }
        this.emissionLag =
                Timer.builder(EMISSION_LAG)
                        .description(
                                "from an image's first pending mark to the emission of its sample")
                        .publishPercentileHistogram()
                        .register(meters);
    }

    /**
     * Meters in a registry of their own (tests, benchmarks, tools that build the topology
     * directly).
     */
    public static IngestMetrics unregistered() {
        return new IngestMetrics(new SimpleMeterRegistry());
    }

    void consumed() {
        records.increment();
        recordRate.add(clock.getAsLong(), 1);
    }

    void validated() {
        validated.increment();
        validatedRate.add(clock.getAsLong(), 1);
    }

    void deadLettered(DeadLetter letter, byte[] original) {
        deadLetters.get(letter.reason()).increment();
        letters.add(letter, original);
    }

    void emitted(long lagMillis) {
        emissionLag.record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
    }

    public Flow flow() {
        long now = clock.getAsLong();
        long dead = (long) deadLetters.values().stream().mapToDouble(Counter::count).sum();
        return new Flow(
                since,
                Instant.ofEpochMilli(now),
                (long) records.count(),
                (long) validated.count(),
                dead,
                recordRate.perSecond(now),
                validatedRate.perSecond(now),
                RATE_SECONDS,
                emissionLag.count(),
                emissionLag.mean(TimeUnit.MILLISECONDS),
                emissionLag.max(TimeUnit.MILLISECONDS));
    }

    public DeadLetterLog.Snapshot deadLetters() {
        return letters.snapshot();
    }

    /** The emission lag timer (tests read it). */
    Timer emissionLag() {
        return emissionLag;
    }
}
