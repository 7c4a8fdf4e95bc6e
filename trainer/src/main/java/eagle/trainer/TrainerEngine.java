package eagle.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import eagle.core.model.ClipModel;
import eagle.core.model.ClipConfig;
import eagle.core.text.WordTokenizer;
import eagle.core.train.Checkpoint;
import eagle.core.train.ClassBalancedSampler;
import eagle.core.train.EagleTrainer;
import eagle.core.train.StepLosses;
import eagle.core.train.TrainingConfig;
import eagle.core.io.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The trainer's worker: consumes {@code eagle.samples.v1}, collects a round's intake, trains the round
 * from the production encoder on class-balanced batches of new and replayed samples (core's
 * {@link EagleTrainer}: masked pooling, dual loss, GaLore), writes the candidate and hands it to the
 * {@link CandidateUploader}.
 *
 * <p>Crash safety. Offsets are never auto-committed. Nothing consumed is durable until the round starts:
 * then one atomic core {@link Checkpoint} holds the starting weights, the optimizer and sampler state
 * and the {@link RoundState} (intake records, manifest, next positions, replay buffer); only after it is
 * on disk are the positions committed to Kafka. A checkpoint follows every
 * {@link TrainerSettings#checkpointEvery()} steps. At the end the candidate folder is written (staging +
 * rename), then {@code state.json} (buffer with the intake offered, positions, round count), then the
 * checkpoint is deleted. A restart reads the checkpoint (the source of truth), seeks to its positions and
 * finishes the round from its last step; without a checkpoint it seeks to {@code state.json}'s positions
 * (Kafka's committed offsets only when there is no state at all). So a kill at any point loses no sample
 * and trains none twice.
 */
public final class TrainerEngine implements Runnable {

    private static final Logger LOG = Logger.getLogger(TrainerEngine.class);

    private final TrainerSettings settings;
    private final StateStore store;
    private final CandidateUploader uploader;
    private final RegistryClient registry;
    private volatile boolean running = true;
    private volatile boolean roundRequested;
    private volatile TrainerStatus status;

    private final Device device;
    private WordTokenizer tokenizer;
    private ClipConfig baseConfig;
    private SampleDecoder decoder;
    private DurableState state;
    private String lastSkipReason;
    private String basePath;

    // intake of the round being collected (memory only until the round starts)
    private final List<SampleRecord> intake = new ArrayList<>();
    private final Map<String, DecodedSample> intakeSamples = new LinkedHashMap<>();
    private final Map<Integer, long[]> consumed = new TreeMap<>();
    private final Map<Integer, Long> positions = new TreeMap<>();
    private long skippedInIntake;

    public TrainerEngine(TrainerSettings settings) throws IOException {
        this.settings = settings;
        this.store = new StateStore(settings.stateDir());
        this.registry = settings.registryUrl()
                .map(url -> new RegistryClient(url, settings.registryToken().orElse(""), settings.modelName()))
                .orElse(null);
        this.uploader = new CandidateUploader(settings, store, registry);
        this.device = Engine.getInstance().defaultDevice();
        LOG.infof("trainer device: %s (engine %s)", device, Engine.getInstance().getEngineName());
        this.status = new TrainerStatus(device.toString(), "STARTING", 0, 0, settings.training().totalSteps(), null, 0, 0, 0,
                settings.minSamples(), settings.minClasses(), 0, null, 0, settings.bufferCapacity(), Map.of(), 0, 0,
                null, List.of(), null);
    }

    public TrainerStatus status() {
        return status;
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
                try {
                    loop();
                } catch (org.apache.kafka.common.KafkaException e) {
                    // the broker is unreachable or failed: drop the undurable intake, reconnect, seek to the durable positions
                    LOG.warnf("Kafka unavailable (%s); reconnecting in %d ms", e.toString(), delay);
                    status = withPhase("RECONNECTING", e.toString());
                    intake.clear();
                    intakeSamples.clear();
                    consumed.clear();
                    skippedInIntake = 0;
                    Thread.sleep(delay); // backoff between reconnection attempts
                    delay = Math.min(settings.backoffMaxMillis(), delay * 2);
                }
            }
        } catch (Throwable e) {
            LOG.error("trainer failed", e);
            status = withPhase("FAILED", String.valueOf(e));
        } finally {
            uploader.stop();
        }
    }

    private void init() throws IOException {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            // PyTorch's autograd mode is per thread and on by default; DJL turns it off only on the thread that
            // loaded the engine. The optimizer updates parameters in place outside any GradientCollector, which
            // autograd refuses on a leaf that requires grad, so this worker thread turns it off itself.
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        }
        Path baseModel = settings.baseDir().resolve("model.safetensors");
        tokenizer = WordTokenizer.fromJson(Files.readString(settings.baseDir().resolve("tokenizer.json")));
        String configJson = Safetensors.readHeader(baseModel).metadata().get("eagle.clip_config");
        if (configJson == null) {
            throw new IOException(baseModel + " carries no eagle.clip_config metadata");
        }
        baseConfig = ClipConfig.fromJson(configJson);
        decoder = new SampleDecoder(new BlobReader(settings.blobRoot()), baseConfig.vision().imageSize(),
                baseConfig.vision().patchSize());
        String sha = RegistryClient.sha256Of(baseModel);
        if (!Files.exists(store.weights(sha))) {
            Path tmp = store.weightsDir().resolve(sha + ".tmp");
            Files.copy(baseModel, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, store.weights(sha), StandardCopyOption.ATOMIC_MOVE);
        }
        basePath = sha;
        state = store.readState().orElse(new DurableState(0, Map.of(),
                new ReplayBuffer(settings.bufferCapacity(), settings.training().seed()).snapshot(), 0));
        LOG.infof("trainer state %s: %d rounds done, positions %s, buffer %d images",
                store.root(), state.completedRounds(), state.positions(), state.buffer().values().size());
        publishWaiting();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void loop() throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = assign(consumer);
            Optional<RoundState> unfinished = store.readRoundState();
            if (unfinished.isPresent() && unfinished.get().round() > state.completedRounds()) {
                RoundState round = unfinished.get();
                LOG.infof("resuming round %d from its checkpoint", round.round());
                seek(consumer, partitions, round.positions());
                runRound(round, true);
            } else {
                store.deleteCheckpoint(); // a stale one of a round state.json already counts
                seek(consumer, partitions, state.positions());
            }
            positions.clear();
            for (TopicPartition tp : partitions) {
                positions.put(tp.partition(), consumer.position(tp));
            }
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(settings.pollMillis()));
                boolean trigger = false;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.offset() < positions.getOrDefault(r.partition(), 0L)) {
                        continue; // re-delivered after a seek back
                    }
                    accept(r);
                    if (triggered()) {
                        trigger = true;
                        break;
                    }
                }
                if (trigger || (roundRequested && !(intakeSamples.isEmpty() && state.buffer().values().isEmpty()))) {
                    for (TopicPartition tp : partitions) {
                        consumer.seek(tp, positions.get(tp.partition())); // records after the trigger wait for the next round
                    }
                    roundRequested = false;
                    RoundState round = startRound();
                    commit(consumer, round.positions());
                    runRound(round, false);
                } else if (roundRequested && intakeSamples.isEmpty() && state.buffer().values().isEmpty()) {
                    LOG.info("round requested, but there is no sample yet: waiting for the first one");
                }
                publishWaiting();
            }
        }
    }

    private List<TopicPartition> assign(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = List.of();
        while (running && infos.isEmpty()) {
            infos = consumer.partitionsFor(settings.topic(), Duration.ofSeconds(10));
            if (infos == null) {
                infos = List.of();
            }
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
        consumer.assign(partitions);
        return partitions;
    }

    private void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<Integer, Long> stored) {
        Map<TopicPartition, OffsetAndMetadata> committed = stored.isEmpty()
                ? consumer.committed(new java.util.HashSet<>(partitions)) : Map.of();
        for (TopicPartition tp : partitions) {
            Long pos = stored.get(tp.partition());
            if (pos == null && committed.get(tp) != null) {
                pos = committed.get(tp).offset();
            }
            if (pos == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, pos);
            }
        }
    }

    private void commit(KafkaConsumer<byte[], byte[]> consumer, Map<Integer, Long> at) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        at.forEach((p, o) -> offsets.put(new TopicPartition(settings.topic(), p), new OffsetAndMetadata(o)));
        try {
            consumer.commitSync(offsets);
        } catch (RuntimeException e) {
            // the checkpoint already holds these positions; Kafka's copy is a convenience
            LOG.warnf("offset commit failed (the checkpoint keeps the positions): %s", e.toString());
        }
    }

    /** Takes one record into the intake: a tombstone retracts, a valid sample joins, a bad one is skipped. */
    private void accept(ConsumerRecord<byte[], byte[]> r) {
        long[] range = consumed.computeIfAbsent(r.partition(), p -> new long[] {r.offset(), r.offset() + 1});
        range[1] = r.offset() + 1;
        positions.put(r.partition(), r.offset() + 1);
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            if (key != null) {
                intake.removeIf(s -> key.equals(s.key()));
                intakeSamples.remove(key);
                intake.add(new SampleRecord(r.partition(), r.offset(), key, null));
                LOG.infof("image %s retracted", key);
            }
            return;
        }
        String value = new String(r.value(), StandardCharsets.UTF_8);
        SampleDecoder.Outcome outcome = decoder.decode(key, value);
        if (!outcome.ok()) {
            skippedInIntake++;
            lastSkipReason = key + "@" + r.partition() + ":" + r.offset() + ": " + outcome.problem();
            LOG.warnf("sample skipped (%s)", lastSkipReason);
            return;
        }
        intake.removeIf(s -> key.equals(s.key()));
        intakeSamples.remove(key);
        intake.add(new SampleRecord(r.partition(), r.offset(), key, value));
        intakeSamples.put(key, outcome.sample());
    }

    private boolean triggered() {
        return intakeSamples.size() >= settings.minSamples() && intakeClasses().size() >= settings.minClasses();
    }

    private TreeSet<String> intakeClasses() {
        TreeSet<String> classes = new TreeSet<>();
        intakeSamples.values().forEach(s -> s.instances().forEach(i -> classes.add(i.className())));
        return classes;
    }

    /** Closes the intake: the round's state, checkpointed at step 0 before anything is committed. */
    private RoundState startRound() throws IOException {
        int round = state.completedRounds() + 1;
        String[] parent = resolveParent();
        ReplayBuffer buffer = ReplayBuffer.restore(state.buffer());
        intake.stream().filter(SampleRecord::tombstone).forEach(s -> buffer.retract(s.key()));
        List<OffsetRange> manifest = new ArrayList<>();
        consumed.forEach((p, range) -> manifest.add(new OffsetRange(settings.topic(), p, range[0], range[1])));
        RoundState rs = new RoundState(round, parent[0], parent[1] == null ? null : Integer.valueOf(parent[1]),
                manifest, new TreeMap<>(positions), List.copyOf(intake), buffer.snapshot(),
                state.skipped() + skippedInIntake, List.of(), Instant.now().toString());
        LOG.infof("round %d starts: %d new samples (%d classes), %d replayed, manifest %s, parent %s",
                round, intakeSamples.size(), intakeClasses().size(), buffer.size(), manifest,
                rs.parentVersion() == null ? "embedded base" : "version " + rs.parentVersion());
        return rs;
    }

    /** {sha256, version or null} of the starting weights: production when the registry has one, else the base. */
    private String[] resolveParent() {
        if (registry != null) {
            try {
                Optional<RegistryClient.AliasTarget> production = registry.production();
                if (production.isPresent()) {
                    RegistryClient.AliasTarget p = production.get();
                    if (!Files.exists(store.weights(p.sha256()))) {
                        registry.download(p.version(), p.sha256(), store.weights(p.sha256()));
                    }
                    return new String[] {p.sha256(), String.valueOf(p.version())};
                }
            } catch (RegistryClient.Unavailable | RegistryClient.Refused | IOException e) {
                LOG.warnf("production encoder not resolved (%s); starting from the embedded base", e.getMessage());
            }
        }
        return new String[] {basePath, null};
    }

    /** Trains a round from step 0 or from its checkpoint, writes the candidate, moves the state on. */
    private void runRound(RoundState rs, boolean resume) throws IOException {
        TrainingConfig config = settings.training();
        ReplayBuffer buffer = ReplayBuffer.restore(rs.buffer());
        // the pool, always rebuilt in the same order: buffer images by id, then the intake in consumption order
        List<DecodedSample> pool = new ArrayList<>();
        long skipped = rs.skipped();
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
                LOG.warnf("new sample %s skipped on resume: %s", s.key(), o.problem());
            }
        }
        pool.removeIf(d -> fresh.containsKey(d.imageId()));
        pool.addAll(fresh.values());
        TreeSet<String> classNames = new TreeSet<>();
        pool.forEach(s -> s.instances().forEach(i -> classNames.add(i.className())));
        Map<String, Integer> classIds = new LinkedHashMap<>();
        List<String> prompts = new ArrayList<>();
        for (String c : classNames) {
            classIds.put(c, classIds.size());
            prompts.add(config.prompt(c));
        }
        int[][] promptTokens = tokenizer.encodeBatch(prompts);
        Path parentWeights = store.weights(rs.parentSha256());
        List<StepLosses> losses = new ArrayList<>(rs.losses());
        try (ClipModel model = ClipModel.load(parentWeights, device);
                EagleTrainer trainer = new EagleTrainer(model, null, config, promptTokens)) {
            ClassBalancedSampler sampler;
            if (resume) {
                Checkpoint.State restored = Checkpoint.restore(store.checkpointDir(), trainer);
                sampler = ClassBalancedSampler.resume(restored.samplerState());
                losses = new ArrayList<>(losses.subList(0, Math.min(losses.size(), restored.step())));
                LOG.infof("round %d resumed at step %d of %d", rs.round(), restored.step(), config.totalSteps());
            } else {
                sampler = new ClassBalancedSampler(config.seed() + rs.round());
            }
            pool.forEach(s -> sampler.add(s.toTrainingSample(classIds)));
            if (!resume) {
                Checkpoint.save(store.checkpointDir(), trainer, sampler.randomState(),
                        Map.of(RoundState.EXTRA_KEY, StateStore.JSON.writeValueAsString(rs)));
                LOG.infof("round %d checkpoint at step 0 (intake durable; offsets %s)", rs.round(), rs.positions());
            }
            long t0 = System.nanoTime();
            int startStep = trainer.stepCount();
            while (trainer.stepCount() < config.totalSteps()) {
                if (!running) {
                    LOG.infof("stopping inside round %d at step %d; the checkpoint resumes it", rs.round(), trainer.stepCount());
                    return;
                }
                StepLosses l = trainer.step(sampler.nextBatch(config.batchImages()));
                losses.add(l);
                int step = trainer.stepCount();
                double rate = (step - startStep) * (double) config.batchImages() / ((System.nanoTime() - t0) / 1e9);
                boolean save = step % settings.checkpointEvery() == 0 || step == config.totalSteps();
                if (save) {
                    Checkpoint.save(store.checkpointDir(), trainer, sampler.randomState(),
                            Map.of(RoundState.EXTRA_KEY, StateStore.JSON.writeValueAsString(rs.withLosses(losses))));
                }
                LOG.infof("round %d step %d/%d L %.4f (ins %.4f ce %.4f) lr %.2e %.1f img/s%s",
                        rs.round(), step, config.totalSteps(), l.total(), l.ins(), l.ce(), l.lr(), rate,
                        save ? " [checkpointed]" : "");
                status = training(rs, step, l, rate, losses, buffer, fresh.size());
            }
            writeCandidate(rs, trainer, losses, classNames);
        }
        // the intake joins the replay buffer; then the round is done
        for (SampleRecord s : rs.intake()) {
            if (!s.tombstone() && fresh.containsKey(s.key()) && fresh.get(s.key()) != null) {
                TreeSet<String> classes = new TreeSet<>();
                fresh.get(s.key()).instances().forEach(i -> classes.add(i.className()));
                buffer.offer(s.key(), classes, s.value());
                fresh.remove(s.key()); // only the latest record of a key
            }
        }
        state = new DurableState(rs.round(), rs.positions(), buffer.snapshot(), skipped);
        store.writeState(state);
        store.deleteCheckpoint();
        intake.clear();
        intakeSamples.clear();
        consumed.clear();
        skippedInIntake = 0;
        LOG.infof("round %d done; buffer %d images %s", rs.round(), buffer.size(), buffer.fillPerClass());
        uploader.wake();
    }

    private void writeCandidate(RoundState rs, EagleTrainer trainer, List<StepLosses> losses, TreeSet<String> classes)
            throws IOException {
        Path dir = store.candidateDir(rs.round());
        if (Files.isRegularFile(dir.resolve(Candidate.META))) {
            return; // written before a crash
        }
        Path staging = dir.resolveSibling(dir.getFileName() + ".staging");
        StateStore.deleteRecursively(staging);
        Files.createDirectories(staging);
        trainer.model().save(staging.resolve(Candidate.MODEL), Map.of("eagle.round", String.valueOf(rs.round())));
        String sha = RegistryClient.sha256Of(staging.resolve(Candidate.MODEL));
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("training", StateStore.JSON.convertValue(settings.training(), Map.class));
        hyper.put("minSamples", settings.minSamples());
        hyper.put("minClasses", settings.minClasses());
        hyper.put("bufferCapacity", settings.bufferCapacity());
        hyper.put("classes", List.copyOf(classes));
        Candidate c = new Candidate(rs.round(), sha, rs.parentSha256(), rs.parentVersion(), hyper, losses,
                rs.manifest(), Candidate.manifestHash(rs.manifest()), device.toString(), Instant.now().toString());
        StateStore.writeAtomically(staging.resolve(Candidate.META), StateStore.JSON.writeValueAsBytes(c));
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        LOG.infof("round %d candidate %s written to %s (manifest %s)", rs.round(), sha.substring(0, 12), dir,
                c.manifestSha256().substring(0, 12));
    }

    private TrainerStatus training(RoundState rs, int step, StepLosses l, double rate, List<StepLosses> losses,
            ReplayBuffer buffer, int fresh) {
        return new TrainerStatus(device.toString(), "TRAINING", rs.round(), step, settings.training().totalSteps(), l,
                rate, fresh, 0, settings.minSamples(), settings.minClasses(), rs.skipped(), lastSkipReason,
                buffer.size(), settings.bufferCapacity(), buffer.fillPerClass(), state.completedRounds(),
                uploader.pending().size(), uploader.lastVersion(), losses.stream().map(StepLosses::total).toList(), null);
    }

    private void publishWaiting() {
        TrainerStatus prev = status;
        ReplayBuffer buffer = ReplayBuffer.restore(state.buffer());
        status = new TrainerStatus(device.toString(), "WAITING", state.completedRounds(),
                prev.round() == state.completedRounds() ? prev.step() : 0, settings.training().totalSteps(),
                prev.lastLosses(), prev.samplesPerSecond(), intakeSamples.size(), intakeClasses().size(),
                settings.minSamples(), settings.minClasses(), state.skipped() + skippedInIntake, lastSkipReason,
                buffer.size(), settings.bufferCapacity(), buffer.fillPerClass(), state.completedRounds(),
                uploader.pending().size(), uploader.lastVersion(), prev.lossCurve(), null);
    }

    private TrainerStatus withPhase(String phase, String error) {
        TrainerStatus s = status;
        return new TrainerStatus(device == null ? "?" : device.toString(), phase, s.round(), s.step(), s.totalSteps(),
                s.lastLosses(), s.samplesPerSecond(), s.newSamples(), s.newClasses(), s.minSamples(), s.minClasses(),
                s.skipped(), s.lastSkipReason(), s.bufferSize(), s.bufferCapacity(), s.bufferFill(),
                s.completedRounds(), s.pendingUploads(), s.lastCandidateVersion(), s.lossCurve(), error);
    }
}
