package eagle.registry.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Before Flyway validates, moves the recorded checksum of applied migration {@code version} from
 * {@code from} to {@code to}, and only from exactly {@code from}. It is for an edit that changed
 * nothing but a migration's comments: Flyway's checksum covers comments, so a database migrated
 * before the edit would otherwise fail validation at start although its schema is the same. Any
 * other recorded checksum is left alone, so a migration whose statements really changed still fails
 * validation.
 *
 * <p>Why not {@code flyway repair}: repair realigns every checksum to the files on the class path,
 * whatever they changed, which is exactly what validation is there to catch.
 */
public record ChecksumMove(String version, int from, int to) implements Callback {

    /**
     * V1__registry.sql's first comment line cited design notes outside the repository; since
     * 2026-12-03 it cites docs/ARCHITECTURE.md, and nothing else in the file changed. {@code from}
     * is the checksum Flyway recorded for the file as it was at commit 86a69af ({@code git show
     * 86a69af:registry/src/main/resources/db/migration/V1__registry.sql}); {@code to} is today's,
     * checked against Flyway's own computation by ChecksumMoveTest.
     */
    public static final ChecksumMove V1_COMMENT = new ChecksumMove("1", 1996337613, -867508885);

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        String table = historyTable(context);
        Connection c = context.getConnection();
        try {
            if (!exists(c, table)) {
                return; // a fresh database: nothing applied yet
            }
            try (PreparedStatement s =
                    c.prepareStatement(
                            "update "
                                    + table
                                    + " set checksum = ? where version = ? and checksum = ?")) {
                s.setInt(1, to);
                s.setString(2, version);
                s.setInt(3, from);
                s.executeUpdate();
            }
        } catch (SQLException e) {
            throw new FlywayException(
                    "cannot move the checksum of migration " + version + " in " + table, e);
        }
    }

    @Override
    public String getCallbackName() {
        return "checksum move of migration " + version;
    }

    /** The schema history table, schema-qualified when Flyway is given a default schema. */
    private static String historyTable(Context context) {
        String schema = context.getConfiguration().getDefaultSchema();
        String table = quoted(context.getConfiguration().getTable());
        return schema == null || schema.isEmpty() ? table : quoted(schema) + "." + table;
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select to_regclass(?) is not null")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }
}
