package eagle.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at the JVM's shared real PostgreSQL 14 ({@link
 * SharedInfra}), in database {@value #DEFAULT_DATABASE} or the one named by the init argument
 * {@value #DATABASE_ARG} (created if absent).
 *
 * <p>Returns {@code quarkus.datasource.jdbc.url}, {@code .username}, {@code .password} and turns
 * Dev Services off. {@link #stop()} leaves the server running: other test classes and later
 * application restarts in the JVM reuse it; a JVM shutdown hook stops it.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init argument naming the database. */
    public static final String DATABASE_ARG = "database";

    public static final String DEFAULT_DATABASE = "eagle";

    private String database = DEFAULT_DATABASE;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault(DATABASE_ARG, DEFAULT_DATABASE);
    }

    @Override
    public Map<String, String> start() {
        return SharedInfra.postgresConfig(database);
    }

    @Override
    public void stop() {
        // shared for the whole JVM; the shutdown hook of SharedInfra stops it
    }

    /**
     * JDBC URL of {@code db} on the shared server (created if absent), for tests that connect
     * directly.
     */
    public static String jdbcUrl(String db) {
        return SharedInfra.database(db);
    }

    /** Stops the shared server ("the database went away"); data kept. */
    public static void stopDatabase() {
        SharedInfra.stopPostgres();
    }

    /** Starts the shared server again on the same port with the same data. */
    public static void startDatabase() {
        SharedInfra.startPostgres();
    }
}
