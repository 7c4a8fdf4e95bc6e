package eagle.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import eagle.client.RegistryClient;
import eagle.client.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The trainer's worker (docs/METHOD.md §4): reads {@code eagle.samples.v1} into a round's intake
 * ({@link SampleIntake}), and when the trigger is reached trains the round from the production
 * encoder ({@link RoundRunner}), whose candidate the {@link CandidateUploader} hands to the
 * registry. Progress goes to the {@link StatusBoard}.
 *
 * <p>Crash safety. Offsets are never auto-committed. Nothing consumed is durable until the round
 * starts: then one atomic core {@code Checkpoint} holds the starting weights, the optimizer and
 * sampler state and the {@link RoundState} (intake records, manifest, next positions, replay
 * buffer); only after it is on disk are the positions committed to Kafka. A checkpoint follows
 * every {@code round.checkpoint-every} steps. At the end the candidate folder is written (staging +
 * rename), then {@code state.json} (buffer with the intake offered, positions, round count), then
 * the checkpoint is deleted. A restart reads the checkpoint (the source of truth), seeks to its
 * positions and finishes the round from its last step; without a checkpoint it seeks to {@code
 * state.json}'s positions (Kafka's committed offsets only when there is no state at all). So a kill
 * at any point loses no sample and trains none twice. A round that failed on its data ({@link
 * FailedRound}) is abandoned on restart instead of resumed.
 */
public final class TrainerEngine implements Runnable {

    private static final Logger LOG = Logger.getLogger(TrainerEngine.class);

    private final TrainerSettings settings;
    private final StateStore store;
    private final CandidateUploader uploader;
    private final RegistryClient registry;
    private final RoundFault fault;
    private final Device device;
    private static final long PARENT_CHECK_SECONDS = 5;
    private final SkipCounts durableSkips = new SkipCounts();
    private final SkipCounts intakeSkips = new SkipCounts();
    private final StatusBoard status;
    private volatile boolean running = true;
    private volatile boolean roundRequested;

    private DurableState state;
    private SampleDecoder decoder;

    /**
     * sha256 of the encoder {@link #decoder} decodes for (its input geometry, tokenizer and minimum
     * area)
     */
    private String decoderFor;

    private long nextParentCheck;
    private ParentResolver parents;
    private RoundRunner rounds;

    public TrainerEngine(TrainerSettings settings) throws IOException {
        this(settings, RoundFault.NONE);
    }

    TrainerEngine(TrainerSettings settings, RoundFault fault) throws IOException {
        this.settings = settings.validated();
        this.fault = fault;
        this.store = new StateStore(settings.stateDir());
        this.registry =
                settings.registryUrl()
                        .map(
                                url ->
                                        new RegistryClient(
                                                url,
                                                settings.registryToken().orElse(null),
                                                settings.registry().timeout()))
                        .orElse(null);
        this.uploader = new CandidateUploader(settings, store, registry);
        this.device = Engine.getInstance().defaultDevice();
        LOG.infof("trainer device: %s (engine %s)", device, Engine.getInstance().getEngineName());
        this.status =
                new StatusBoard(device.toString(), settings, uploader, durableSkips, intakeSkips);
    }

    public TrainerStatus status() {
        return status.snapshot();
    }

    /**
     * What this process did since it started (steps, rounds, samples consumed, with their
     * durations).
     */
    public StatusBoard.Totals totals() {
        return status.totals();
    }

    public CandidateUploader uploader() {
        return uploader;
    }

    /** Asks for a round now, with whatever new samples (and buffer) there are. */
    public void requestRound() {
        roundRequested = true;
    }

    public void stop() {
        running = false;
        uploader.stop();
    }

    @Override
    public void run() {
        Thread upload = new Thread(uploader, "eagle-trainer-upload");
        upload.setDaemon(true);
        try {
            init();
            upload.start();
            long delay = settings.backoffMillis();
            while (running) {
                try (SampleIntake intake = new SampleIntake(settings, decoder, intakeSkips)) {
                    consume(intake);
                } catch (org.apache.kafka.common.KafkaException e) {
                    // the broker is unreachable or failed: drop the undurable intake, reconnect,
                    // seek to the durable positions
                    LOG.warnf(
                            "Kafka unavailable (%s%s); reconnecting in %d ms",
                            e, e.getCause() == null ? "" : ", " + e.getCause(), delay);
                    status.phase(TrainerPhase.RECONNECTING, e.toString());
                    intakeSkips.clear();
                    Thread.sleep(delay); // backoff between reconnection attempts
                    delay = Math.min(settings.backoffMaxMillis(), delay * 2);
                }
            }
        } catch (Throwable e) {
            LOG.error("trainer failed", e);
            status.phase(TrainerPhase.FAILED, String.valueOf(e));
        } finally {
            uploader.stop();
        }
    }

    private void init() throws IOException {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            // PyTorch's autograd mode is per thread and on by default; DJL turns it off only on the
            // thread that
            // loaded the engine. The optimizer updates parameters in place outside any
            // GradientCollector, which
            // autograd refuses on a leaf that requires grad, so this worker thread turns it off
            // itself.
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        }
        Path baseModel = settings.baseDir().resolve("model.safetensors");
        ParentEncoder base = ParentEncoder.read(baseModel, settings);
        decoder = base.decoder(settings);
        String sha = Sha256.of(baseModel);
        if (!Files.exists(store.weights(sha))) {
            Path tmp = store.weightsDir().resolve(sha + ".tmp");
            Files.copy(baseModel, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, store.weights(sha), StandardCopyOption.ATOMIC_MOVE);
        }
        parents = new ParentResolver(registry, settings.modelName(), store, new Parent(sha, null));
        decoderFor = sha;
        nextParentCheck = System.nanoTime();
        followParent();
        rounds =
                new RoundRunner(
                        settings,
                        store,
                        device,
                        new CandidateWriter(settings, store, device.toString()),
                        status,
                        fault,
                        () -> running);
        state =
                store.readState()
                        .orElse(
                                new DurableState(
                                        0,
                                        Map.of(),
                                        new ReplayBuffer(settings.bufferCapacity(), settings.seed())
                                                .snapshot(),
                                        0,
                                        Map.of()));
        durableSkips.reset(state.skippedByReason());
        LOG.infof(
                "trainer state %s: %d rounds done, positions %s, buffer %d images",
                store.root(),
                state.completedRounds(),
                state.positions(),
                state.buffer().values().size());
        publishWaiting(0, 0);
    }

    private void consume(SampleIntake intake) throws IOException {
        intake.assign(() -> running);
        int next = state.completedRounds() + 1;
        Optional<FailedRound> failed = store.readFailure(next);
        Optional<RoundState> unfinished = store.readRoundState().filter(r -> r.round() == next);
        if (failed.isPresent()) {
            intake.seek(failed.get().state().positions());
            intake.commit(failed.get().state().positions());
            closeRound(RoundRunner.abandon(failed.get()));
        } else if (unfinished.isPresent()) {
            LOG.infof("resuming round %d from its checkpoint", next);
            intake.seek(unfinished.get().positions());
            runRound(intake, unfinished.get(), true);
        } else {
            store.deleteCheckpoint(); // a stale one of a round state.json already counts
            intake.seek(state.positions());
        }
        while (running) {
            if (followParent()) {
                intakeSkips.clear();
                return; // a new intake reads the undurable records again with the new parent's
                // decoder
            }
            boolean trigger = intake.poll();
            boolean any = intake.sampleCount() > 0 || !state.buffer().values().isEmpty();
            if (trigger || (roundRequested && any)) {
                intake.rewind(); // records after the trigger wait for the next round
                roundRequested = false;
                runRound(intake, startRound(intake), false);
            } else if (roundRequested) {
                LOG.info("round requested, but there is no sample yet: waiting for the first one");
            }
            publishWaiting(intake.sampleCount(), intake.classes().size());
        }
    }

    /**
     * The intake decodes samples (input geometry, prompt-ability, minimum area) for the encoder the
     * next round starts from: production once the registry has one (e.g. a base registered after
     * the trainer started), else the embedded base. Checked at most every {@value
     * #PARENT_CHECK_SECONDS} s; a registry that cannot be reached keeps the current one.
     *
     * @return whether the decoder changed (the undurable intake must be read again)
     */
    private boolean followParent() throws IOException {
        if (System.nanoTime() < nextParentCheck) {
            return false;
        }
        nextParentCheck = System.nanoTime() + TimeUnit.SECONDS.toNanos(PARENT_CHECK_SECONDS);
        Parent parent = parents.resolve();
        if (!parent.registered() || parent.sha256().equals(decoderFor)) {
            return false;
        }
        decoder = ParentEncoder.read(store.weights(parent.sha256()), settings).decoder(settings);
        decoderFor = parent.sha256();
        LOG.infof("samples are now decoded for the parent %s", parent);
        return true;
    }

    /**
     * Closes the intake: the round's state, checkpointed at step 0 before anything is committed.
     */
    private RoundState startRound(SampleIntake intake) {
        int round = state.completedRounds() + 1;
        Parent parent = parents.resolve();
        ReplayBuffer buffer = ReplayBuffer.restore(state.buffer());
        intake.records().stream()
                .filter(SampleRecord::tombstone)
                .forEach(s -> buffer.retract(s.key()));
        SkipCounts skips = SkipCounts.of(state.skippedByReason());
        skips.addAll(intakeSkips);
        RoundState rs =
                new RoundState(
                        round,
                        parent.sha256(),
                        parent.version(),
                        intake.manifest(),
                        intake.positions(),
                        intake.records(),
                        buffer.snapshot(),
                        skips.total(),
                        skips.snapshot(),
                        List.of(),
                        Instant.now().toString(),
                        parent.fineTuned());
        LOG.infof(
                "round %d starts: %d new samples (%d classes), %d replayed, manifest %s, parent %s",
                round,
                intake.sampleCount(),
                intake.classes().size(),
                buffer.size(),
                rs.manifest(),
                parent.registered()
                        ? "version " + parent.version() + (parent.fineTuned() ? " (a round's)" : "")
                        : "embedded base");
        return rs;
    }

    private void runRound(SampleIntake intake, RoundState rs, boolean resume) throws IOException {
        durableSkips.reset(rs.skippedByReason());
        intakeSkips.clear();
        Optional<DurableState> after = rounds.run(rs, resume, () -> intake.commit(rs.positions()));
        if (after.isPresent()) {
            closeRound(after.get());
            intake.clear();
            uploader.wake();
        }
    }

    /** The round is over: state.json moves on, the checkpoint goes. */
    private void closeRound(DurableState next) throws IOException {
        state = next;
        store.writeState(state);
        store.deleteCheckpoint();
        durableSkips.reset(state.skippedByReason());
        // logged once state.json has moved on: a kill after this line never re-opens the round
        ReplayBuffer buffer = ReplayBuffer.restore(state.buffer());
        LOG.infof(
                "round %d done; buffer %d images %s",
                state.completedRounds(), buffer.size(), buffer.fillPerClass());
    }

    private void publishWaiting(int samples, int classes) {
        status.waiting(
                state.completedRounds(), ReplayBuffer.restore(state.buffer()), samples, classes);
    }
}
