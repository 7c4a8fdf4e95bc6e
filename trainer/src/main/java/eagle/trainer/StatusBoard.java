package eagle.trainer;

import eagle.core.train.StepLosses;
import java.util.List;
import java.util.Map;

/**
 * The engine's progress as its parts report it; {@link #snapshot()} is what {@code GET
 * /api/v1/status}, the health checks and the metrics read. Thread-safe: the engine thread writes,
 * request threads read.
 */
public final class StatusBoard {

    private final String device;
    private final TrainerSettings settings;
    private final CandidateUploader uploader;
    private final SkipCounts durableSkips;
    private final SkipCounts intakeSkips;

    private TrainerPhase phase = TrainerPhase.STARTING;
    private String error;
    private int round;
    private Parent parent;
    private int step;
    private StepLosses lastLosses;
    private double samplesPerSecond;
    private List<Double> lossCurve = List.of();
    private List<Double> insCurve = List.of();
    private List<Double> ceCurve = List.of();
    private int newSamples;
    private int newClasses;
    private int bufferSize;
    private Map<String, Integer> bufferFill = Map.of();
    private int completedRounds;
    // process-lifetime totals for /q/metrics (TrainerMetrics)
    private long steps;
    private long stepNanos;
    private long lastStepAt;
    private long roundsTimed;
    private long roundNanos;
    private long roundStartedAt;
    private long samplesConsumed;

    /**
     * @param durableSkips skips recorded in the durable state (state.json or the round's
     *     checkpoint)
     * @param intakeSkips skips of the intake being collected (not durable yet)
     */
    public StatusBoard(
            String device,
            TrainerSettings settings,
            CandidateUploader uploader,
            SkipCounts durableSkips,
            SkipCounts intakeSkips) {
        this.device = device;
        this.settings = settings;
        this.uploader = uploader;
        this.durableSkips = durableSkips;
        this.intakeSkips = intakeSkips;
    }

    public synchronized void phase(TrainerPhase value, String why) {
        phase = value;
        error = why;
    }

    public synchronized TrainerPhase phase() {
        return phase;
    }

    public synchronized String error() {
        return error;
    }

    /** Between rounds: the durable state and the intake collected so far. */
    public synchronized void waiting(int completed, ReplayBuffer buffer, int samples, int classes) {
        if (roundStartedAt != 0) { // the round that was running is closed
            roundsTimed++;
            roundNanos += System.nanoTime() - roundStartedAt;
            roundStartedAt = 0;
        }
        if (round != completed) {
            step = 0;
        }
        round = completed;
        completedRounds = completed;
        bufferSize = buffer.size();
        bufferFill = buffer.fillPerClass();
        newSamples = samples;
        newClasses = classes;
        phase = TrainerPhase.WAITING;
        error = null;
    }

    /** A round started (or resumed) from {@code from}. */
    public synchronized void roundStarted(int number, Parent from, int newInRound) {
        round = number;
        parent = from;
        step = 0;
        newSamples = newInRound;
        newClasses = 0;
        samplesConsumed += newInRound;
        roundStartedAt = System.nanoTime();
        phase = TrainerPhase.TRAINING;
        error = null;
    }

    /**
     * The round's steps begin (the model is loaded, the step-0 checkpoint written): the first
     * step's clock starts.
     */
    public synchronized void stepsStarting() {
        lastStepAt = System.nanoTime();
    }

    /** A step of the current round finished. */
    public synchronized void stepDone(
            int number,
            StepLosses losses,
            double rate,
            List<StepLosses> curve,
            ReplayBuffer buffer) {
        step = number;
        lastLosses = losses;
        samplesPerSecond = rate;
        lossCurve = curve.stream().map(StepLosses::total).toList();
        insCurve = curve.stream().map(StepLosses::ins).toList();
        ceCurve = curve.stream().map(StepLosses::ce).toList();
        long now = System.nanoTime();
        steps++;
        stepNanos += now - lastStepAt;
        lastStepAt = now;
        bufferSize = buffer.size();
        bufferFill = buffer.fillPerClass();
    }

    public synchronized TrainerStatus snapshot() {
        SkipCounts all = new SkipCounts();
        all.addAll(durableSkips);
        all.addAll(intakeSkips);
        String last =
                intakeSkips.lastReason() != null
                        ? intakeSkips.lastReason()
                        : durableSkips.lastReason();
        return new TrainerStatus(
                device,
                phase,
                round,
                parent,
                step,
                settings.recipe().training().totalSteps(),
                lastLosses,
                samplesPerSecond,
                newSamples,
                newClasses,
                settings.minSamples(),
                settings.minClasses(),
                all.total(),
                all.snapshot(),
                last,
                bufferSize,
                settings.bufferCapacity(),
                bufferFill,
                completedRounds,
                uploader.pending().size(),
                uploader.lastVersion(),
                lossCurve,
                insCurve,
                ceCurve,
                error);
    }

    public synchronized Totals totals() {
        return new Totals(steps, stepNanos / 1e9, roundsTimed, roundNanos / 1e9, samplesConsumed);
    }

    /**
     * What this process did since it started (the counters and timers of {@code /q/metrics}).
     *
     * @param steps training steps done
     * @param stepSeconds their summed duration (a step runs from the previous one's end, the first
     *     from {@link #stepsStarting()})
     * @param rounds rounds closed
     * @param roundSeconds their summed duration, from the round's start to its close
     * @param samplesConsumed new samples taken into rounds
     */
    public record Totals(
            long steps,
            double stepSeconds,
            long rounds,
            double roundSeconds,
            long samplesConsumed) {}
}
