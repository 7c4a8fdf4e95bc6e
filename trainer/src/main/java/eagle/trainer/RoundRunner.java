package eagle.trainer;

import ai.djl.Device;
import eagle.core.model.ClipModel;
import eagle.core.train.Checkpoint;
import eagle.core.train.ClassBalancedSampler;
import eagle.core.train.EagleTrainer;
import eagle.core.train.RecipeByScale;
import eagle.core.train.StepLosses;
import eagle.core.train.TrainingConfig;
import eagle.core.train.TrainingSample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Runs one round (docs/METHOD.md §4): rebuilds its pool (the replay buffer, then the intake in
 * consumption order), builds the parent's encoder and tokenizer from the parent's weights,
 * checkpoints at step 0 (then the intake is durable and {@code onDurable} commits the positions),
 * trains the steps with a checkpoint every {@code round.checkpoint-every}, writes the candidate,
 * offers the intake to the buffer and returns the state after the round. A {@link RuntimeException}
 * on the round's data is recorded as a {@link FailedRound} and rethrown; {@link #abandon} closes
 * such a round on restart.
 */
final class RoundRunner {

    private static final Logger LOG = Logger.getLogger(RoundRunner.class);

    private final TrainerSettings settings;
    private final StateStore store;
    private final Device device;
    private final CandidateWriter writer;
    private final StatusBoard status;
    private final RoundFault fault;
    private final BooleanSupplier running;

    RoundRunner(
            TrainerSettings settings,
            StateStore store,
            Device device,
            CandidateWriter writer,
            StatusBoard status,
            RoundFault fault,
            BooleanSupplier running) {
        this.settings = settings;
        this.store = store;
        this.device = device;
        this.writer = writer;
        this.status = status;
        this.fault = fault;
        this.running = running;
    }

    /**
     * The pool of a round: decoded samples, buffer images by id then the intake's latest record per
     * key.
     */
    private record Pool(
            List<DecodedSample> samples,
            Map<String, DecodedSample> fresh,
            TreeSet<String> classes) {}

    /**
     * Trains round {@code rs} from step 0 ({@code resume} false) or from its checkpoint.
     *
     * @return the state after the round; empty when the engine was stopped inside it (the
     *     checkpoint resumes it)
     */
    Optional<DurableState> run(RoundState rs, boolean resume, Runnable onDurable)
            throws IOException {
        try {
            return runGuarded(rs, resume, onDurable);
        } catch (StepFailure e) {
            record(rs, e.getCause(), e.batch);
            throw (RuntimeException) e.getCause();
        } catch (RuntimeException e) {
            record(rs, e, List.of());
            throw e;
        }
    }

    private static final class StepFailure extends RuntimeException {
        final List<String> batch;

        StepFailure(RuntimeException cause, List<String> batch) {
            super(cause);
            this.batch = batch;
        }
    }

    private void record(RoundState rs, Throwable e, List<String> batch) throws IOException {
        LOG.errorf(e, "round %d failed on its data; recorded, a restart abandons it", rs.round());
        store.writeFailure(
                new FailedRound(
                        rs.round(), String.valueOf(e), batch, rs, Instant.now().toString()));
    }

    private Optional<DurableState> runGuarded(RoundState rs, boolean resume, Runnable onDurable)
            throws IOException {
        Path parentWeights = store.weights(rs.parentSha256());
        ParentEncoder encoder = ParentEncoder.read(parentWeights, settings);
        RoundRecipe roundRecipe = settings.recipe();
        RecipeByScale recipe = roundRecipe.byScale(encoder.config(), rs.parent().fineTuned());
        TrainingConfig config =
                roundRecipe.withRecipe(recipe).withPromptTemplates(encoder.prompts().templates());
        LOG.infof(
                "round %d: lr %s, text tower at %s×, λ_p %s, λ_i %s (%s; parent vision width %d)",
                rs.round(),
                config.lr(),
                config.textLrMultiplier(),
                config.patchLambda(),
                config.imageLambda(),
                recipe.source(),
                encoder.config().vision().width());
        SampleDecoder decoder = encoder.decoder(settings);
        ReplayBuffer buffer = ReplayBuffer.restore(rs.buffer());
        Pool pool = pool(rs, buffer, decoder);
        if (pool.samples().isEmpty()) {
            throw new IllegalStateException("round " + rs.round() + " has no usable sample");
        }
        List<String> classNames = List.copyOf(pool.classes());
        Map<String, Integer> classIds = new LinkedHashMap<>();
        classNames.forEach(c -> classIds.put(c, classIds.size()));
        int[][] promptTokens = encoder.promptTokens(classNames); // (C·K, L)
        List<StepLosses> losses = new ArrayList<>(rs.losses());
        status.roundStarted(rs.round(), rs.parent(), pool.fresh().size());
        try (ClipModel model = ClipModel.load(parentWeights, device);
                ClipModel frozen =
                        config.retentionLambda() > 0
                                ? ClipModel.load(parentWeights, device)
                                : null;
                EagleTrainer trainer = new EagleTrainer(model, frozen, config, promptTokens)) {
            ClassBalancedSampler sampler;
            if (resume) {
                Checkpoint.State restored = Checkpoint.restore(store.checkpointDir(), trainer);
                sampler = ClassBalancedSampler.resume(restored.samplerState());
                losses =
                        new ArrayList<>(
                                losses.subList(0, Math.min(losses.size(), restored.step())));
                LOG.infof(
                        "round %d resumed at step %d of %d",
                        rs.round(), restored.step(), config.totalSteps());
            } else {
                sampler = new ClassBalancedSampler(config.seed() + rs.round());
            }
            pool.samples().forEach(s -> sampler.add(s.toTrainingSample(classIds)));
            if (!resume) {
                checkpoint(rs, trainer, sampler);
                LOG.infof(
                        "round %d checkpoint at step 0 (intake durable; offsets %s)",
                        rs.round(), rs.positions());
            }
            onDurable.run();
            status.stepsStarting();
            long t0 = System.nanoTime();
            int startStep = trainer.stepCount();
            while (trainer.stepCount() < config.totalSteps()) {
                if (!running.getAsBoolean()) {
                    LOG.infof(
                            "stopping inside round %d at step %d; the checkpoint resumes it",
                            rs.round(), trainer.stepCount());
                    return Optional.empty();
                }
                List<TrainingSample> batch = sampler.nextBatch(config.batchImages());
                List<String> ids = batch.stream().map(TrainingSample::imageId).toList();
                StepLosses l;
                try {
                    fault.beforeStep(rs.round(), ids);
                    l = trainer.step(batch);
                } catch (RuntimeException e) {
                    throw new StepFailure(e, ids);
                }
                losses.add(l);
                int step = trainer.stepCount();
                double rate =
                        (step - startStep)
                                * (double) config.batchImages()
                                / ((System.nanoTime() - t0) / 1e9);
                boolean save =
                        step % settings.checkpointEvery() == 0 || step == config.totalSteps();
                if (save) {
                    checkpoint(rs.withLosses(losses), trainer, sampler);
                }
                LOG.infof(
                        "round %d step %d/%d L %.4f (ins %.4f ce %.4f) lr %.2e %.1f img/s%s",
                        rs.round(),
                        step,
                        config.totalSteps(),
                        l.total(),
                        l.ins(),
                        l.ce(),
                        l.lr(),
                        rate,
                        save ? " [checkpointed]" : "");
                status.stepDone(step, l, rate, losses, buffer);
            }
            writer.write(rs, trainer, encoder, losses, pool.classes());
        }
        // the intake joins the replay buffer (only the latest record of a key); then the round is
        // done
        Map<String, DecodedSample> fresh = new LinkedHashMap<>(pool.fresh());
        for (SampleRecord s : rs.intake()) {
            DecodedSample d = s.tombstone() ? null : fresh.remove(s.key());
            if (d != null) {
                TreeSet<String> classes = new TreeSet<>();
                d.instances().forEach(i -> classes.add(i.className()));
                buffer.offer(s.key(), classes, s.value());
            }
        }
        return Optional.of(
                new DurableState(
                        rs.round(),
                        rs.positions(),
                        buffer.snapshot(),
                        rs.skipped(),
                        rs.skippedByReason()));
    }

    private void checkpoint(RoundState rs, EagleTrainer trainer, ClassBalancedSampler sampler)
            throws IOException {
        Checkpoint.save(
                store.checkpointDir(),
                trainer,
                sampler.randomState(),
                Map.of(RoundState.EXTRA_KEY, StateStore.JSON.writeValueAsString(rs)));
    }

    private Pool pool(RoundState rs, ReplayBuffer buffer, SampleDecoder decoder) {
        List<DecodedSample> pool = new ArrayList<>();
        for (Map.Entry<String, String> e : buffer.images().entrySet()) {
            SampleDecoder.Outcome o = decoder.decode(e.getKey(), e.getValue());
            if (o.ok()) {
                pool.add(o.sample());
            } else {
                LOG.warnf("replayed sample %s skipped: %s", e.getKey(), o.problem());
            }
        }
        Map<String, DecodedSample> fresh = new LinkedHashMap<>();
        for (SampleRecord s : rs.intake()) {
            if (s.tombstone()) {
                fresh.remove(s.key());
                continue;
            }
            SampleDecoder.Outcome o = decoder.decode(s.key(), s.value());
            if (o.ok()) {
                fresh.remove(s.key());
                fresh.put(s.key(), o.sample());
            } else {
                LOG.warnf("new sample %s skipped: %s", s.key(), o.problem());
            }
        }
        pool.removeIf(d -> fresh.containsKey(d.imageId()));
        pool.addAll(fresh.values());
        TreeSet<String> classes = new TreeSet<>();
        pool.forEach(s -> s.instances().forEach(i -> classes.add(i.className())));
        return new Pool(pool, fresh, classes);
    }

    /**
     * Closes a round that failed on its data without training it: the intake's samples are skipped
     * and counted ({@link SkipReason#FAILED_ROUND}), the failing batch's images leave the buffer,
     * the positions move past the intake.
     */
    static DurableState abandon(FailedRound failure) {
        RoundState rs = failure.state();
        ReplayBuffer buffer = ReplayBuffer.restore(rs.buffer());
        failure.batch().forEach(buffer::retract);
        SkipCounts skips = SkipCounts.of(rs.skippedByReason());
        rs.intake().stream()
                .filter(s -> !s.tombstone())
                .forEach(
                        s ->
                                skips.add(
                                        SkipReason.FAILED_ROUND,
                                        s.key()
                                                + "@"
                                                + s.partition()
                                                + ":"
                                                + s.offset()
                                                + ": round "
                                                + rs.round()
                                                + " failed: "
                                                + failure.error()));
        LOG.warnf(
                "round %d failed on its data before (%s): abandoned; %d samples of its intake skipped, %d buffer"
                        + " images of the failing batch dropped",
                rs.round(),
                failure.error(),
                rs.intake().stream().filter(s -> !s.tombstone()).count(),
                failure.batch().size());
        return new DurableState(
                rs.round(), rs.positions(), buffer.snapshot(), skips.total(), skips.snapshot());
    }
}
