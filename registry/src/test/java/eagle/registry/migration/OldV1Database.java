package eagle.registry.migration;

import eagle.infra.SharedInfra;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;

/**
 * Registry databases as they were before V1__registry.sql's first comment line changed: migrated
 * with the current V1 whose first line is replaced.
 */
public final class OldV1Database {

    /** V1's first line until 2026-12-03. */
    public static final String OLD_FIRST_LINE =
            "-- EAGLE registry schema (DESIGN §6). Flyway owns it; Hibernate only validates.";

    private static final String MIGRATION = "db/migration/V1__registry.sql";

    private OldV1Database() {}

    /**
     * Creates database {@code prefix_<nanotime>} on the shared PostgreSQL and migrates it with V1
     * whose first line is {@code firstLine}; returns its name.
     */
    public static String migrate(String prefix, String firstLine) {
        try {
            String current;
            try (InputStream in =
                    OldV1Database.class.getClassLoader().getResourceAsStream(MIGRATION)) {
                current = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Path location = Files.createTempDirectory("registry-v1-");
            Files.writeString(
                    location.resolve("V1__registry.sql"),
                    firstLine + current.substring(current.indexOf('\n')));
            String db = prefix + "_" + System.nanoTime();
            flyway(db, "filesystem:" + location).migrate();
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flyway on database {@code db} of the shared PostgreSQL. */
    public static Flyway flyway(String db, String location, Callback... callbacks) {
        Map<String, String> config = SharedInfra.postgresConfig(db);
        return Flyway.configure()
                .dataSource(
                        config.get("quarkus.datasource.jdbc.url"),
                        config.get("quarkus.datasource.username"),
                        config.get("quarkus.datasource.password"))
                .locations(location)
                .callbacks(callbacks)
                .load();
    }
}
