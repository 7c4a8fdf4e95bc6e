package eagle.registry.migration;

import eagle.infra.SharedInfra;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;

/** Registry databases on the shared PostgreSQL as earlier V1__registry.sql files left them. */
public final class OldV1Database {

    private static final String CURRENT = "classpath:db/migration";
    private static final String MIGRATION = "db/migration/V1__registry.sql";

    private OldV1Database() {}

    /**
     * A database migrated before V1's header comment changed: the same schema, with the old file's
     * checksum ({@link ChecksumMove#V1_COMMENT}'s {@code from}) recorded. Returns its name.
     */
    public static String beforeTheCommentChange(String prefix) {
        String db = prefix + "_" + System.nanoTime();
        flyway(db, CURRENT).migrate();
        Map<String, String> config = SharedInfra.postgresConfig(db);
        try (Connection c =
                        DriverManager.getConnection(
                                config.get("quarkus.datasource.jdbc.url"),
                                config.get("quarkus.datasource.username"),
                                config.get("quarkus.datasource.password"));
                PreparedStatement s =
                        c.prepareStatement(
                                "update flyway_schema_history set checksum = ? where version = '1'")) {
            s.setInt(1, ChecksumMove.V1_COMMENT.from());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the old checksum in " + db, e);
        }
        return db;
    }

    /**
     * A new database migrated with today's V1 whose first line is replaced by {@code firstLine};
     * returns its name.
     */
    public static String withFirstLine(String prefix, String firstLine) {
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
