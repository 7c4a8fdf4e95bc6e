package eagle.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.AliasTarget;
import eagle.client.RegistryClient;
import eagle.demo.AnnotationSource;
import eagle.demo.CreateTopics;
import eagle.demo.RegistryUpload;
import eagle.infra.DevJwt;
import eagle.infra.FreePorts;
import eagle.infra.LocalKafka;
import eagle.infra.LocalPostgres;
import eagle.scenes.Taxonomy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole platform for the tests of this module, once per JVM: a PostgreSQL and a Kafka broker of
 * this JVM (so a test can stop and restart them), the topics, and the five services as separate
 * processes from their packaged fast-jars with the same settings as {@code ./eagle demo}
 * (scripts/demo.sh), on free ports, and the operator console (its fast-jar too) pointed at them
 * with the read tokens. Stopped by a shutdown hook. The tests reach the services only over HTTP and
 * Kafka, and the console only through a browser.
 *
 * <p>Model {@value #MODEL}. Tokens: DEV-ONLY JWTs ({@link DevJwt}) with the roles each caller has
 * in the demo. Ingest runs with a closed taxonomy (the synthetic world's 32 classes) and a 4 KiB
 * inline-image limit, so that every dead-letter reason can be triggered.
 *
 * <p>{@link #get(Settings)} with other {@link Settings} (RealEncoderPlatformTest's) stops the
 * platform running in this JVM, if it has other settings, and starts one with those.
 */
final class Platform {

    static final String MODEL = "eagle-encoder";

    /**
     * How a platform is set up.
     *
     * @param runDir its folder under {@code platform/target}
     * @param model the registry model the trainer trains and the tests watch
     * @param syntheticTaxonomy ingest accepts only the synthetic world's classes and inline images
     *     up to 4 KiB
     * @param seedEmbeddedBase register the embedded base at start (the evaluator blesses it as
     *     production)
     * @param gateFile the evaluator's gate, relative to the repository root
     * @param trainerOptions system properties for the trainer after the defaults (later ones win)
     * @param ingestOptions system properties for ingest after the defaults (later ones win)
     * @param evaluatorOptions system properties for the evaluator after the defaults (later ones
     *     win)
     */
    record Settings(
            String runDir,
            String model,
            boolean syntheticTaxonomy,
            boolean seedEmbeddedBase,
            String gateFile,
            List<String> trainerOptions,
            List<String> ingestOptions,
            List<String> evaluatorOptions) {

        /** Settings with the default ingest and evaluator. */
        Settings(
                String runDir,
                String model,
                boolean syntheticTaxonomy,
                boolean seedEmbeddedBase,
                String gateFile,
                List<String> trainerOptions) {
            this(
                    runDir,
                    model,
                    syntheticTaxonomy,
                    seedEmbeddedBase,
                    gateFile,
                    trainerOptions,
                    List.of(),
                    List.of());
        }
    }

    /**
     * The settings every test class but RealEncoderPlatformTest uses: the demo's services with a
     * short training round (12 steps of 8) and the plumbing gate ({@code plumbing-gate.json}: the
     * default gate's checks with margins of about two standard errors of the 240-image suite),
     * since these tests check the flow, not the method's effect (the demo and the experiment gate
     * with the default gate).
     */
    static final Settings DEMO =
            new Settings(
                    "platform-run",
                    MODEL,
                    true,
                    true,
                    "platform/src/test/resources/plumbing-gate.json",
                    List.of());

    static final String GATEWAY_READ_TOKEN = "platform-tests-read-token";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration START = Duration.ofSeconds(240);
    private static Platform instance;
    private static boolean hookInstalled;

    final Settings settings;
    final String model;
    final Path root;
    final Path dir;
    final LocalPostgres postgres;
    final LocalKafka kafka;
    final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    final String registerToken = DevJwt.mint("trainer", "registry.read", "registry.register");
    final String evaluatorToken =
            DevJwt.mint("evaluator", "registry.read", "registry.evaluate", "registry.alias");
    final String readToken = DevJwt.mint("reader", "registry.read");
    final String operatorToken = DevJwt.mint("operator", "trainer.operate", "evaluator.operate");
    private int baseVersion;
    private boolean stopped;
    private long nextSeed = 5_000_000L;

    static Platform get() {
        return get(DEMO);
    }

    /**
     * The platform with {@code settings}, started if needed (a running one with other settings is
     * stopped first).
     */
    static synchronized Platform get(Settings settings) {
        if (instance != null && !instance.settings.equals(settings)) {
            instance.stop();
            instance = null;
        }
        if (instance == null) {
            if (!hookInstalled) {
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(Platform::stopCurrent, "platform-stop"));
                hookInstalled = true;
            }
            instance = new Platform(settings);
            instance.startAll();
        }
        return instance;
    }

    private static synchronized void stopCurrent() {
        if (instance != null) {
            instance.stop();
        }
    }

    private Platform(Settings settings) {
        this.settings = settings;
        this.model = settings.model();
        root = repoRoot();
        dir = root.resolve("platform/target/" + settings.runDir());
        deleteTree(dir);
        postgres =
                LocalPostgres.start(
                        dir.resolve("postgres"), 0, root.resolve("platform/target/pg-bin"));
        postgres.createDatabase("registry");
        kafka = LocalKafka.start(dir.resolve("kafka"), 0);
        try {
            CreateTopics.create(kafka.bootstrapServers());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics", e);
        }
        defineServices();
    }

    static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("registry"))
                    && Files.isDirectory(d.resolve("platform"))) {
                return d;
            }
        }
        throw new IllegalStateException(
                "the repository root is not above " + Path.of("").toAbsolutePath());
    }

    private void defineServices() {
        String bootstrap = kafka.bootstrapServers();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> common =
                List.of(
                        java,
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Dai.djl.offline=true",
                        "-Dquarkus.profile=local");
        int registryPort = FreePorts.find();
        String registry = "http://localhost:" + registryPort;
        add(
                "registry",
                registryPort,
                common,
                List.of(
                        "-Xmx384m",
                        "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl("registry"),
                        "-D%local.quarkus.datasource.jdbc.url=" + postgres.jdbcUrl("registry"),
                        "-Dkafka.bootstrap.servers=" + bootstrap,
                        "-D%local.kafka.bootstrap.servers=" + bootstrap,
                        "-Deagle.registry.outbox.poll-interval=0.2s"));
        List<String> ingest =
                new ArrayList<>(
                        List.of(
                                "-Xmx512m",
                                "-Dkafka.bootstrap.servers=" + bootstrap,
                                "-Dquarkus.kafka-streams.bootstrap-servers=" + bootstrap,
                                "-Dkafka-streams.state.dir=" + dir.resolve("ingest-state"),
                                "-Dkafka-streams.replication.factor=1",
                                "-Deagle.blobs.dir=" + dir.resolve("blobs"),
                                "-Deagle.ingest.heldout.fraction=0")); // every published image on
        // the samples topic, as the
        // flows await
        if (settings.syntheticTaxonomy()) {
            ingest.add("-Deagle.ingest.taxonomy=" + String.join(",", Taxonomy.standard().names()));
            ingest.add("-Deagle.ingest.max-inline-bytes=4096");
        }
        ingest.addAll(settings.ingestOptions());
        add("ingest", FreePorts.find(), common, ingest);
        List<String> trainer =
                new ArrayList<>(
                        List.of(
                                "-Xmx2g",
                                "-Dai.djl.pytorch.num_threads=1",
                                "-Dai.djl.pytorch.num_interop_threads=1",
                                "-Dkafka.bootstrap.servers=" + bootstrap,
                                "-Deagle.trainer.state-dir=" + dir.resolve("trainer"),
                                "-Deagle.trainer.blob-root=" + dir.resolve("blobs"),
                                "-Deagle.trainer.base-dir=" + root.resolve("models/embedded-base"),
                                "-Deagle.trainer.registry.url=" + registry,
                                "-Deagle.trainer.registry.token=" + registerToken,
                                "-Deagle.trainer.registry.model=" + model,
                                "-Deagle.trainer.registry.backoff-max-ms=2000",
                                "-Deagle.trainer.round.min-samples=16",
                                "-Deagle.trainer.round.min-classes=2",
                                "-Deagle.trainer.round.steps=12",
                                "-Deagle.trainer.round.batch=8",
                                "-Deagle.trainer.round.lr=1e-4",
                                "-Deagle.trainer.round.checkpoint-every=2"));
        trainer.addAll(settings.trainerOptions());
        add("trainer", FreePorts.find(), common, trainer);
        int evaluatorPort = FreePorts.find();
        List<String> evaluator =
                new ArrayList<>(
                        List.of(
                                "-Xmx2g",
                                "-Dai.djl.pytorch.num_threads=1",
                                "-Dai.djl.pytorch.num_interop_threads=1",
                                "-Deagle.evaluator.public-url=http://localhost:" + evaluatorPort,
                                "-Deagle.evaluator.registry.url=" + registry,
                                "-Deagle.evaluator.registry.token=" + evaluatorToken,
                                "-Dkafka.bootstrap.servers=" + bootstrap,
                                "-Deagle.evaluator.consumer-group=eagle-evaluator",
                                "-Deagle.evaluator.base-dir="
                                        + root.resolve("models/embedded-base"),
                                "-Deagle.evaluator.work-dir=" + dir.resolve("evaluator"),
                                "-Deagle.evaluator.suite.zero-shot-images=240",
                                "-Deagle.evaluator.suite.pope-images=120",
                                "-Deagle.evaluator.suite.calibration-images=64",
                                "-Deagle.evaluator.suite.mmvp-pairs-per-kind=8",
                                "-Deagle.evaluator.suite.stats-scenes=500",
                                "-Deagle.evaluator.suite.bootstrap-resamples=200",
                                "-Deagle.evaluator.gate-file="
                                        + root.resolve(settings.gateFile())));
        evaluator.addAll(settings.evaluatorOptions());
        add("evaluator", evaluatorPort, common, evaluator);
        add(
                "gateway",
                FreePorts.find(),
                common,
                List.of(
                        "-Xmx1g",
                        "-Dai.djl.pytorch.num_threads=1",
                        "-Dkafka.bootstrap.servers=" + bootstrap,
                        "-Deagle.gateway.registry.url=" + registry,
                        "-Deagle.gateway.registry.token=" + readToken,
                        "-Deagle.gateway.cache-dir=" + dir.resolve("gateway-cache"),
                        "-Deagle.gateway.poll-interval=5s",
                        "-Deagle.gateway.read-tokens=" + GATEWAY_READ_TOKEN));
        // the operator console (console/README.md): the five services' URLs, the registry's and the
        // gateway's read tokens
        List<String> console =
                new ArrayList<>(
                        List.of(
                                "-Xmx192m",
                                "-Deagle.console.model=" + model,
                                "-Deagle.console.services.registry.read-token=" + readToken,
                                "-Deagle.console.services.gateway.read-token="
                                        + GATEWAY_READ_TOKEN));
        for (String service : List.of("registry", "ingest", "trainer", "evaluator", "gateway")) {
            console.add(
                    "-Deagle.console.services." + service + ".url=" + services.get(service).url());
        }
        add("console", FreePorts.find(), common, console);
    }

    private void add(String name, int port, List<String> common, List<String> options) {
        Path jar = root.resolve(name + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: `mvn -B package -DskipTests` (or ./eagle test) builds it");
        }
        List<String> cmd = new ArrayList<>(common);
        cmd.addAll(options);
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-jar");
        cmd.add(jar.toString());
        services.put(
                name,
                new ServiceProcess(name, port, cmd, root, dir.resolve("logs/" + name + ".log")));
    }

    private void startAll() {
        services.values().forEach(ServiceProcess::start);
        services.values().forEach(s -> s.awaitReady(START));
        if (settings.seedEmbeddedBase()) {
            baseVersion = seedBase();
        }
    }

    ServiceProcess service(String name) {
        return services.get(name);
    }

    /** kill -9, start again, wait until ready. */
    void killAndRestart(String name) {
        ServiceProcess s = services.get(name);
        s.kill9();
        s.start();
        s.awaitReady(START);
    }

    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        reversed.forEach(ServiceProcess::stop);
        kafka.close();
        postgres.close();
    }

    int baseVersion() {
        return baseVersion;
    }

    // ---- the registry
    // ----------------------------------------------------------------------------------------

    String api() {
        return services.get("registry").url() + "/api/v1/models/" + model;
    }

    /**
     * Creates the model and registers the embedded base; the evaluator blesses it as the first
     * production.
     */
    private int seedBase() {
        try {
            RegistryUpload.createModel(
                    services.get("registry").url(), registerToken, model, "platform tests");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return registerVersion(root.resolve("models/embedded-base/model.safetensors"), null);
    }

    /**
     * Registers and uploads a safetensors file as a new version with {@code parent}; returns its
     * number.
     */
    int registerVersion(Path weights, Integer parent) {
        try {
            return RegistryUpload.registerAndUpload(
                    services.get("registry").url(), registerToken, model, weights, parent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Downloads production's weights (checked against their sha256) to {@code target}. */
    Path productionWeights(Path target) {
        RegistryClient client = new RegistryClient(services.get("registry").url(), readToken);
        AliasTarget production =
                client.production(model)
                        .orElseThrow(() -> new IllegalStateException("no production version"));
        try {
            Files.deleteIfExists(target);
            client.download(model, production.version(), production.sha256(), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** GET on the registry API of {@link #model} (read token); null when not 200. */
    JsonNode registry(String path) {
        HttpResponse<String> r = send("GET", api() + path, readToken, null);
        return r.statusCode() == 200 ? readTree(r.body()) : null;
    }

    /** The version {@code production} points at, or null. */
    Integer production() {
        JsonNode a = registry("/aliases/production");
        return a == null ? null : a.path("version").asInt();
    }

    List<JsonNode> versions() {
        List<JsonNode> out = new ArrayList<>();
        JsonNode all = registry("/versions");
        if (all != null) {
            all.forEach(out::add);
        }
        out.sort(Comparator.comparingInt(v -> v.path("version").asInt()));
        return out;
    }

    int newestVersion() {
        List<JsonNode> all = versions();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).path("version").asInt();
    }

    List<JsonNode> evaluations(int version) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode all = registry("/versions/" + version + "/evaluations");
        if (all != null) {
            all.forEach(out::add);
        }
        return out;
    }

    // ---- the gateway
    // -----------------------------------------------------------------------------------------

    String gatewayEncoderUrl() {
        return services.get("gateway").url() + "/v1/encoders/" + model;
    }

    /** What the gateway serves as production now, or null (not serving / not reachable). */
    JsonNode served() {
        try {
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(gatewayEncoderUrl()))
                                    .header("Authorization", "Bearer " + GATEWAY_READ_TOKEN)
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    // ---- Kafka
    // -----------------------------------------------------------------------------------------------

    /**
     * Publishes {@code images} new synthetic scenes (fresh training seeds) as an annotation tool
     * would.
     */
    AnnotationSource.Published publish(int images, boolean malformed) {
        long seed;
        synchronized (this) {
            seed = nextSeed;
            nextSeed += images;
        }
        try {
            return AnnotationSource.publish(
                    new AnnotationSource.Options(
                            kafka.bootstrapServers(),
                            dir.resolve("source"),
                            images,
                            seed,
                            malformed,
                            "platform-tests",
                            0.0)); // the world's scenes only, as these tests were written for
        } catch (Exception e) {
            throw new IllegalStateException("publishing annotations failed", e);
        }
    }

    /**
     * Every committed record of {@code topic} from the beginning (read_committed), in offset order.
     */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read " + topic + " to its end " + end);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort(
                Comparator.<ConsumerRecord<String, byte[]>>comparingInt(ConsumerRecord::partition)
                        .thenComparingLong(ConsumerRecord::offset));
        return out;
    }

    /**
     * The number of records the broker holds for {@code topic} (the sum of its partitions' end
     * offsets).
     */
    long endOffset(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    c.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The samples topic as a table: image id → latest sample (tombstones remove). */
    Map<String, JsonNode> samples() {
        Map<String, JsonNode> table = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(eagle.contracts.Topics.SAMPLES)) {
            if (r.value() == null) {
                table.remove(r.key());
            } else {
                table.put(
                        r.key(),
                        readTree(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return table;
    }

    // ---- HTTP
    // ------------------------------------------------------------------------------------------------

    static HttpResponse<String> send(String method, String url, String token, String jsonBody) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60))
                        .method(
                                method,
                                jsonBody == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readTree(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + s, e);
        }
    }

    private static void deleteTree(Path d) {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(d)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + d, e);
        }
    }
}
