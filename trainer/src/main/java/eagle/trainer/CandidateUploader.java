package eagle.trainer;

import com.fasterxml.jackson.core.type.TypeReference;
import eagle.client.Registration;
import eagle.client.RegistryClient;
import eagle.client.RegistryUnavailableException;
import eagle.contracts.CandidateEvent;
import eagle.core.model.EncoderSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Sends the candidates on disk to the registry, oldest first, until each is accepted: creates the
 * model if needed, registers the parent (the embedded base) when it has no version yet, registers
 * the candidate with its parent version, hyper-parameters, loss curve and data manifest, streams
 * the weights, then publishes a "candidate exists" event on {@link
 * TrainerSettings#candidatesTopic()} and writes {@code accepted.json}. While the registry is down
 * it retries with exponential backoff; the candidate stays on disk meanwhile. A refusal (4xx) is
 * written to {@code rejected.json} and not retried.
 */
public final class CandidateUploader implements Runnable {

    private static final Logger LOG = Logger.getLogger(CandidateUploader.class);

    private final TrainerSettings settings;
    private final StateStore store;
    private final RegistryClient registry;
    private final Object wake = new Object();
    private volatile boolean running = true;
    private volatile Integer lastVersion;
    private volatile int attempts;

    public CandidateUploader(TrainerSettings settings, StateStore store, RegistryClient registry) {
        this.settings = settings;
        this.store = store;
        this.registry = registry;
    }

    /** Candidates on disk not accepted (nor rejected) yet, oldest first. */
    public List<Path> pending() {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(store.candidatesDir())) {
            dirs.filter(d -> Files.isRegularFile(d.resolve(Candidate.META)))
                    .filter(
                            d ->
                                    !Files.exists(d.resolve(Candidate.ACCEPTED))
                                            && !Files.exists(d.resolve(Candidate.REJECTED)))
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            LOG.warnf("cannot list %s: %s", store.candidatesDir(), e);
        }
        return out;
    }

    /** Failed attempts to reach the registry so far. */
    public int attempts() {
        return attempts;
    }

    public Integer lastVersion() {
        return lastVersion;
    }

    public void wake() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    public void stop() {
        running = false;
        wake();
    }

    @Override
    public void run() {
        long delay = settings.backoffMillis();
        while (running) {
            List<Path> pending = registry == null ? List.of() : pending();
            boolean failed = false;
            for (Path dir : pending) {
                if (!running) {
                    return;
                }
                try {
                    upload(dir);
                    delay = settings.backoffMillis();
                } catch (RegistryUnavailableException e) {
                    attempts++;
                    LOG.warnf(
                            "registry unavailable (attempt %d), %s stays on disk, retry in %d ms: %s",
                            attempts, dir.getFileName(), delay, e.getMessage());
                    failed = true;
                    break;
                } catch (IOException
                        | RuntimeException e) { // a RegistryRefusedException (4xx) among them
                    LOG.errorf(
                            "registry refused %s, not retried: %s",
                            dir.getFileName(), e.getMessage());
                    try {
                        StateStore.writeAtomically(
                                dir.resolve(Candidate.REJECTED),
                                StateStore.JSON.writeValueAsBytes(
                                        Map.of(
                                                "reason",
                                                String.valueOf(e.getMessage()),
                                                "at",
                                                Instant.now().toString())));
                    } catch (IOException io) {
                        LOG.errorf("cannot record the refusal of %s: %s", dir, io);
                    }
                }
            }
            synchronized (wake) {
                try {
                    wake.wait(failed ? delay : 60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (failed) {
                delay = Math.min(settings.backoffMaxMillis(), delay * 2);
            }
        }
    }

    /**
     * Registers one candidate and uploads its weights; idempotent (the registry deduplicates by
     * sha256).
     */
    void upload(Path dir) throws IOException {
        Candidate c =
                StateStore.JSON.readValue(dir.resolve(Candidate.META).toFile(), Candidate.class);
        Path model = dir.resolve(Candidate.MODEL);
        Map<String, Object> architecture = architectureOf(model);
        registry.createModel(settings.modelName(), "EAGLE encoder trained by eagle-trainer");
        Integer parent = c.parentVersion();
        if (parent == null) {
            Path parentFile = store.weights(c.parentSha256());
            Registration base =
                    registry.registerAndUpload(
                            settings.modelName(),
                            null,
                            parentFile,
                            architectureOf(parentFile),
                            null);
            parent = base.version();
            LOG.infof(
                    "parent %s registered as version %d",
                    c.parentSha256().substring(0, 12), parent);
        }
        Map<String, Object> parameters = new LinkedHashMap<>(c.hyperparameters());
        parameters.put(
                "lossCurve",
                c.losses().stream()
                        .map(
                                l ->
                                        Map.of(
                                                "step", l.step(), "total", l.total(), "ins",
                                                l.ins(), "ce", l.ce(), "lr", l.lr()))
                        .toList());
        parameters.put("manifestSha256", c.manifestSha256());
        parameters.put("device", c.device());
        parameters.put("round", c.round());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", "eagle-trainer-round-" + c.round() + "-" + c.sha256().substring(0, 12));
        run.put("parameters", parameters);
        run.put("dataManifest", c.manifest());
        Registration version =
                registry.registerAndUpload(settings.modelName(), parent, model, architecture, run);
        publishEvent(c, version.version(), parent);
        StateStore.writeAtomically(
                dir.resolve(Candidate.ACCEPTED),
                StateStore.JSON.writeValueAsBytes(
                        Map.of(
                                "version",
                                version.version(),
                                "parentVersion",
                                parent,
                                "acceptedAt",
                                Instant.now().toString())));
        lastVersion = version.version();
        LOG.infof(
                "round %d candidate accepted by the registry as %s version %d (parent %d, manifest %s)",
                c.round(),
                settings.modelName(),
                version.version(),
                parent,
                c.manifestSha256().substring(0, 12));
    }

    private void publishEvent(Candidate c, int version, int parent) throws IOException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        CandidateEvent event =
                new CandidateEvent(
                        CandidateEvent.SCHEMA_VERSION,
                        CandidateEvent.TYPE,
                        settings.modelName(),
                        version,
                        parent,
                        c.sha256(),
                        c.round(),
                        c.manifest(),
                        c.manifestSha256(),
                        Instant.now().toString());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    settings.candidatesTopic(),
                                    settings.modelName(),
                                    StateStore.JSON.writeValueAsString(event)))
                    .get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the registry's own ARTIFACT_STORED event (outbox) still announces the version
            LOG.warnf("candidate event for version %d not published: %s", version, e.toString());
        }
    }

    /**
     * A version's {@code architecture}: the EncoderSpec JSON its weights carry
     * (docs/ARCHITECTURE.md, Registry).
     */
    static Map<String, Object> architectureOf(Path model) throws IOException {
        return StateStore.JSON.readValue(
                EncoderSpec.read(model).toJson(), new TypeReference<Map<String, Object>>() {});
    }
}
