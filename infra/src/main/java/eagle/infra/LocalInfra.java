package eagle.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a real PostgreSQL 14 and a real Kafka 4.1 KRaft broker for the demo until SIGTERM or Ctrl-C,
 * keeping their data between runs.
 *
 * <pre>
 * java -cp infra/target/eagle-infra-&lt;version&gt;.jar:infra/target/lib/* eagle.infra.LocalInfra \
 *      --dir .eagle/infra --kafka-port 19092 --pg-port 15432 [--database eagle]...
 * </pre>
 *
 * <p>Files: {@code <dir>/postgres/}, {@code <dir>/kafka/}, and {@code <dir>/infra.properties} with
 * {@code kafka.bootstrap.servers}, {@code postgres.jdbc.url} (database {@code eagle}), {@code
 * postgres.jdbc.url.<db>} per {@code --database}, {@code postgres.user}, {@code postgres.password};
 * the same lines are printed to stdout. The properties file is deleted at shutdown so that its
 * presence means "running".
 */
public final class LocalInfra {

    /** Parsed command line. */
    record Options(Path dir, int kafkaPort, int pgPort, java.util.List<String> databases) {

        static Options parse(String... args) {
            Path dir = Path.of(".eagle", "infra");
            int kafkaPort = 19092;
            int pgPort = 15432;
            java.util.List<String> databases = new java.util.ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    throw new IllegalArgumentException("usage");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--dir" -> dir = Path.of(v);
                    case "--kafka-port" -> kafkaPort = port(a, v);
                    case "--pg-port" -> pgPort = port(a, v);
                    case "--database" -> databases.add(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (!databases.contains("eagle")) {
                databases.add(0, "eagle");
            }
            return new Options(
                    dir.toAbsolutePath(), kafkaPort, pgPort, java.util.List.copyOf(databases));
        }

        private static int port(String option, String v) {
            try {
                int p = Integer.parseInt(v);
                if (p < 0 || p > 65535) {
                    throw new IllegalArgumentException(option + " out of range: " + v);
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " is not a port: " + v);
            }
        }
    }

    private LocalInfra() {}

    public static void main(String[] args) throws InterruptedException {
        // slf4j-simple (in target/lib) at WARN unless the caller chose otherwise
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            // logged at every first start of a fresh cluster
            System.setProperty(
                    "org.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController",
                    "error");
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(
                    (e.getMessage().equals("usage") ? "" : e.getMessage() + "\n")
                            + "usage: LocalInfra [--dir .eagle/infra] [--kafka-port 19092] [--pg-port 15432] [--database NAME]...");
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Running running = start(options);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    running.close();
                                    stopped.countDown();
                                },
                                "eagle-infra-stop"));
        running.properties().forEach((k, v) -> System.out.println(k + "=" + v));
        System.out.println(
                "# written to " + running.propertiesFile() + "; stop with Ctrl-C or SIGTERM");
        System.out.flush();
        stopped.await();
    }

    /** Both servers started, and the properties file written. */
    record Running(
            LocalPostgres postgres,
            LocalKafka kafka,
            Map<String, String> properties,
            Path propertiesFile)
            implements AutoCloseable {

        /** Stops Kafka, then PostgreSQL, and deletes the properties file. */
        @Override
        public void close() {
            try {
                kafka.close();
            } finally {
                try {
                    postgres.close();
                } finally {
                    try {
                        Files.deleteIfExists(propertiesFile);
                    } catch (IOException e) {
                        System.err.println("cannot delete " + propertiesFile + ": " + e);
                    }
                }
            }
        }
    }

    static Running start(Options options) {
        LocalPostgres postgres =
                LocalPostgres.start(options.dir().resolve("postgres"), options.pgPort());
        LocalKafka kafka;
        try {
            kafka = LocalKafka.start(options.dir().resolve("kafka"), options.kafkaPort());
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        try {
            Map<String, String> props = new LinkedHashMap<>();
            props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            for (String db : options.databases()) {
                postgres.createDatabase(db);
                props.put(
                        db.equals("eagle") ? "postgres.jdbc.url" : "postgres.jdbc.url." + db,
                        postgres.jdbcUrl(db));
            }
            props.put("postgres.user", postgres.user());
            props.put("postgres.password", postgres.password());
            Path file = options.dir().resolve("infra.properties");
            write(file, props);
            return new Running(postgres, kafka, props, file);
        } catch (RuntimeException e) {
            kafka.close();
            postgres.close();
            throw e;
        }
    }

    private static void write(Path file, Map<String, String> props) {
        Properties p = new Properties();
        p.putAll(props);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "EAGLE local infrastructure (eagle.infra.LocalInfra)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tmp, e);
        }
        try {
            Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
