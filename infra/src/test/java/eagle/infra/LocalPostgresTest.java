package eagle.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class LocalPostgresTest {

    @Test
    void createsQueriesAndKeepsDataAcrossRestart() throws Exception {
        Path dir = TestDirs.fresh("pg");
        try (LocalPostgres pg = LocalPostgres.start(dir, 0, TestDirs.PG_BINARIES)) {
            int port = pg.port();
            assertTrue(port > 0);
            assertTrue(Files.isRegularFile(dir.resolve("data/PG_VERSION")));
            assertEquals("14", Files.readString(dir.resolve("data/PG_VERSION")).trim());

            assertTrue(pg.createDatabase("registry"));
            assertFalse(pg.createDatabase("registry"));
            try (Connection c = pg.connect("registry");
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE model (id bigint PRIMARY KEY, name text NOT NULL)");
                s.execute("INSERT INTO model VALUES (1, 'eagle-b16'), (2, 'eagle-l14')");
                assertEquals("eagle-l14", single(s, "SELECT name FROM model WHERE id = 2"));
                assertTrue(single(s, "SELECT version()").startsWith("PostgreSQL 14."));
            }

            pg.stop();
            assertFalse(pg.isRunning());
            assertThrows(SQLException.class, () -> pg.connect("registry").close());

            pg.start();
            assertEquals(port, pg.port());
            try (Connection c = pg.connect("registry");
                    Statement s = c.createStatement()) {
                assertEquals(
                        "eagle-b16,eagle-l14",
                        single(s, "SELECT string_agg(name, ',' ORDER BY id) FROM model"));
            }
        }
        // a new instance on the same folder sees the same cluster
        try (LocalPostgres again = LocalPostgres.start(dir, 0, TestDirs.PG_BINARIES);
                Connection c = again.connect("registry");
                Statement s = c.createStatement()) {
            assertEquals("2", single(s, "SELECT count(*) FROM model"));
        }
    }

    @Test
    void rejectsDatabaseNamesThatAreNotPlainIdentifiers() {
        Path dir = TestDirs.fresh("pg-names");
        try (LocalPostgres pg = LocalPostgres.start(dir, 0, TestDirs.PG_BINARIES)) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> pg.createDatabase("x; DROP DATABASE postgres"));
            assertThrows(IllegalArgumentException.class, () -> pg.createDatabase("Upper"));
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }
}
