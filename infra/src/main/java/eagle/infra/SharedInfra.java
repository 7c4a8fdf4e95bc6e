package eagle.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One PostgreSQL and one Kafka per JVM, started on first use and stopped by a JVM shutdown hook,
 * shared by every test class (and every Quarkus application restart) in that JVM.
 *
 * <p>Class loaders: Quarkus loads test resources and {@code @QuarkusTest} classes in a runtime
 * class loader that it closes when the application stops, and a new application gets a new one.
 * State kept there would be lost, and a broker whose classes came from a closed loader breaks. So
 * the state lives in the copy of this class that the JVM's system class loader defines: every
 * public method here, called from another loader's copy, forwards by reflection to that copy
 * (arguments and results are JDK types only), and servers are started with the system loader as the
 * thread context class loader, which their threads inherit ({@link SystemLoaderForwarding}).
 *
 * <p>Files go to {@code <base>/run-<pid>/} where {@code <base>} is the system property {@value
 * #DIR_PROPERTY}, else {@code target/eagle-infra} under the working directory; the run folder is
 * deleted at shutdown (the unpacked PostgreSQL binaries in {@code <base>/pg-bin} are kept for the
 * next run), and folders of runs whose process is gone are deleted at start ({@link RunFolders}).
 */
public final class SharedInfra {

    /** System property naming the base folder for the shared servers' files. */
    public static final String DIR_PROPERTY = "eagle.infra.dir";

    private static LocalPostgres postgres;
    private static LocalKafka kafka;
    private static Path runDir;
    private static boolean hookInstalled;

    private SharedInfra() {}

    /** The shared PostgreSQL's port, started if needed. */
    public static int postgresPort() {
        if (forwarding()) {
            return (Integer) forward("postgresPort");
        }
        return postgres().port();
    }

    /**
     * Creates database {@code db} on the shared PostgreSQL (started if needed) unless it exists,
     * and returns its JDBC URL.
     */
    public static String database(String db) {
        if (forwarding()) {
            return (String) forward("database", db);
        }
        LocalPostgres pg = postgres();
        pg.createDatabase(db);
        return pg.jdbcUrl(db);
    }

    /** Stops the shared PostgreSQL; its data stays for {@link #startPostgres()}. */
    public static void stopPostgres() {
        if (forwarding()) {
            forward("stopPostgres");
            return;
        }
        postgres().stop();
    }

    /** Starts the shared PostgreSQL again on the same port and data. */
    public static void startPostgres() {
        if (forwarding()) {
            forward("startPostgres");
            return;
        }
        withSystemContextLoader(() -> postgres().start());
    }

    /** The shared broker's bootstrap servers, started if needed. */
    public static String bootstrapServers() {
        if (forwarding()) {
            return (String) forward("bootstrapServers");
        }
        return kafka().bootstrapServers();
    }

    /** Creates a topic on the shared broker unless it exists; true when created. */
    public static boolean createTopic(String name, int partitions, boolean compacted) {
        if (forwarding()) {
            return (Boolean) forward("createTopic", name, partitions, compacted);
        }
        return kafka().createTopic(name, partitions, compacted);
    }

    /** Stops the shared broker; its log directory stays for {@link #restartKafka()}. */
    public static void stopKafka() {
        if (forwarding()) {
            forward("stopKafka");
            return;
        }
        kafka().stop();
    }

    /** Starts the shared broker again on the same port with the same topics and records. */
    public static void restartKafka() {
        if (forwarding()) {
            forward("restartKafka");
            return;
        }
        withSystemContextLoader(() -> kafka().restart());
    }

    /** The folder of this JVM's shared servers ({@code <base>/run-<pid>}), as a string. */
    public static String runDir() {
        if (forwarding()) {
            return (String) forward("runDir");
        }
        return run().toString();
    }

    /**
     * The shared {@link LocalPostgres}. Only usable from code whose {@code eagle.infra} classes
     * come from the system class loader (plain JUnit tests, or Quarkus with eagle-infra
     * parent-first); from a Quarkus test use the static methods above.
     */
    public static synchronized LocalPostgres postgres() {
        if (postgres == null) {
            Path run = run();
            postgres =
                    withSystemContextLoader(
                            () ->
                                    LocalPostgres.start(
                                            run.resolve("postgres"),
                                            0,
                                            run.getParent().resolve("pg-bin")));
        }
        return postgres;
    }

    /** The shared {@link LocalKafka}; the same class-loader caveat as {@link #postgres()}. */
    public static synchronized LocalKafka kafka() {
        if (kafka == null) {
            kafka = withSystemContextLoader(() -> LocalKafka.start(run().resolve("kafka"), 0));
        }
        return kafka;
    }

    private static synchronized Path run() {
        if (runDir == null) {
            QuietLogs.apply();
            String configured = System.getProperty(DIR_PROPERTY);
            Path base =
                    (configured != null ? Path.of(configured) : Path.of("target", "eagle-infra"))
                            .toAbsolutePath();
            RunFolders.deleteStaleRuns(base);
            runDir = RunFolders.ofThisProcess(base);
            RunFolders.createEmpty(runDir);
            installShutdownHook();
        }
        return runDir;
    }

    private static void installShutdownHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(SharedInfra::shutdown, "eagle-infra-shutdown"));
    }

    /**
     * Stops Kafka first (its clients may still be closing), then PostgreSQL, then deletes the run
     * folder.
     */
    private static synchronized void shutdown() {
        List<RuntimeException> failures = new java.util.ArrayList<>();
        if (kafka != null) {
            try {
                kafka.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (failures.isEmpty() && runDir != null) {
            RunFolders.deleteTree(runDir);
        }
        for (RuntimeException e : failures) {
            System.err.println("eagle-infra: shutdown failed, files left in " + runDir + ": " + e);
        }
    }

    // ---- forwarding to the system class loader's copy ----

    /** Whether this copy of the class forwards to the system class loader's copy. */
    private static boolean forwarding() {
        return SystemLoaderForwarding.systemCopy(SharedInfra.class) != null;
    }

    private static Object forward(String method, Object... args) {
        return SystemLoaderForwarding.forward(SharedInfra.class, method, args);
    }

    private static void withSystemContextLoader(Runnable action) {
        withSystemContextLoader(
                () -> {
                    action.run();
                    return null;
                });
    }

    /**
     * Runs {@code action} with this class's loader as context loader, which server threads inherit.
     */
    private static <T> T withSystemContextLoader(Supplier<T> action) {
        return SystemLoaderForwarding.withContextLoader(SharedInfra.class.getClassLoader(), action);
    }

    /**
     * Configuration keys for a Quarkus application using database {@code db} on the shared
     * PostgreSQL.
     */
    public static Map<String, String> postgresConfig(String db) {
        if (forwarding()) {
            @SuppressWarnings("unchecked")
            Map<String, String> config = (Map<String, String>) forward("postgresConfig", db);
            return config;
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.jdbc.url", database(db));
        config.put("quarkus.datasource.username", postgres().user());
        config.put("quarkus.datasource.password", postgres().password());
        config.put("quarkus.datasource.devservices.enabled", "false");
        config.put("quarkus.devservices.enabled", "false");
        return config;
    }

    /**
     * Configuration keys for a Quarkus application (Messaging or Kafka Streams) on the shared
     * broker.
     */
    public static Map<String, String> kafkaConfig() {
        if (forwarding()) {
            @SuppressWarnings("unchecked")
            Map<String, String> config = (Map<String, String>) forward("kafkaConfig");
            return config;
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers());
        config.put("quarkus.kafka-streams.bootstrap-servers", bootstrapServers());
        config.put("kafka-streams.state.dir", run().resolve("kafka-streams-state").toString());
        config.put("quarkus.kafka.devservices.enabled", "false");
        config.put("quarkus.devservices.enabled", "false");
        return config;
    }
}
