package eagle.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka 4.1 cluster in this JVM: one {@link KafkaRaftServer} with {@code
 * process.roles=broker,controller} (KRaft, no ZooKeeper), a PLAINTEXT listener on {@code
 * localhost:<port>} and a controller listener on a second local port.
 *
 * <p>Settings for a one-broker cluster: every internal topic has replication factor 1 and {@code
 * min.insync.replicas=1} (so transactions and Kafka Streams {@code exactly_once_v2} work), {@code
 * group.initial.rebalance.delay.ms=0}, and the internal topics have few partitions so the first
 * group or transaction does not wait for 50 partitions to be created.
 *
 * <p>The log directory is formatted once (its {@code meta.properties} keeps the cluster id); {@link
 * #stop()} then {@link #restart()} brings the same cluster back on the same ports with its topics
 * and records.
 */
public final class LocalKafka implements AutoCloseable {

    /** Name of the broker listener clients use. */
    public static final String LISTENER = "PLAINTEXT";

    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int NODE_ID = 1;
    private static final long ADMIN_TIMEOUT_S = 30;

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private LocalKafka(Path logDir, int port, int controllerPort) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Formats {@code logDir} unless it already holds a cluster, then starts the broker.
     *
     * @param logDir the Kafka log directory (topics and the KRaft metadata log); created if absent
     * @param port the client port on localhost, or 0 for a free one (kept for later restarts)
     */
    public static LocalKafka start(Path logDir, int port) {
        Objects.requireNonNull(logDir, "logDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        int clientPort = port == 0 ? FreePorts.find() : port;
        int controllerPort = FreePorts.find();
        while (controllerPort == clientPort) {
            controllerPort = FreePorts.find();
        }
        LocalKafka kafka = new LocalKafka(logDir.toAbsolutePath(), clientPort, controllerPort);
        kafka.format();
        kafka.startServer();
        return kafka;
    }

    /** {@code localhost:<port>}. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Creates a topic with replication factor 1 unless it exists.
     *
     * @param compacted true for {@code cleanup.policy=compact} (a changelog or a table), false for
     *     delete
     * @return true when it was created, false when it already existed
     */
    public boolean createTopic(String name, int partitions, boolean compacted) {
        NewTopic topic =
                new NewTopic(name, partitions, (short) 1)
                        .configs(
                                Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        compacted
                                                ? TopicConfig.CLEANUP_POLICY_COMPACT
                                                : TopicConfig.CLEANUP_POLICY_DELETE));
        try (Admin admin = admin()) {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new IllegalStateException(
                    "creating topic " + name + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + name + " timed out", e);
        }
    }

    /** The names of the topics that are not internal. */
    public Set<String> topics() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("listing topics failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("listing topics timed out", e);
        }
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(config);
    }

    /** Shuts the broker and controller down (controlled shutdown); the log directory is kept. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
    }

    /** Starts the same cluster again on the same ports and log directory; no-op while running. */
    public synchronized void restart() {
        startServer();
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void startServer() {
        if (server != null) {
            return;
        }
        KafkaRaftServer s = new KafkaRaftServer(config(), Time.SYSTEM);
        try {
            s.startup();
        } catch (RuntimeException e) {
            s.shutdown();
            throw new IllegalStateException(
                    "Kafka did not start on " + bootstrapServers() + " in " + logDir, e);
        }
        server = s;
    }

    /**
     * Writes {@code meta.properties} and the bootstrap checkpoint once; a formatted dir is left as
     * it is.
     */
    private void format() {
        try {
            Files.createDirectories(logDir);
            if (Files.exists(logDir.resolve("meta.properties"))) {
                return;
            }
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(NODE_ID)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "formatting the Kafka log dir " + logDir + " failed: " + e, e);
        }
    }

    private KafkaConfig config() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.put(
                "listeners",
                LISTENER
                        + "://localhost:"
                        + port
                        + ","
                        + CONTROLLER_LISTENER
                        + "://localhost:"
                        + controllerPort);
        p.put("advertised.listeners", LISTENER + "://localhost:" + port);
        p.put(
                "listener.security.protocol.map",
                LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", LISTENER);
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("controlled.shutdown.enable", "true");
        return KafkaConfig.fromProps(p);
    }

    @Override
    public String toString() {
        return "LocalKafka["
                + bootstrapServers()
                + ", logDir="
                + logDir
                + ", running="
                + isRunning()
                + "]";
    }
}
