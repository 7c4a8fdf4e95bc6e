package eagle.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LocalInfraTest {

    @Test
    void parsesOptionsWithDefaults() {
        LocalInfra.Options d = LocalInfra.Options.parse();
        assertEquals(19092, d.kafkaPort());
        assertEquals(15432, d.pgPort());
        assertTrue(d.dir().endsWith(Path.of(".eagle", "infra")));
        assertEquals(List.of("eagle"), d.databases());

        LocalInfra.Options o =
                LocalInfra.Options.parse(
                        "--dir",
                        "x/y",
                        "--kafka-port",
                        "0",
                        "--pg-port",
                        "5",
                        "--database",
                        "registry");
        assertEquals(Path.of("x/y").toAbsolutePath(), o.dir());
        assertEquals(0, o.kafkaPort());
        assertEquals(5, o.pgPort());
        assertEquals(List.of("eagle", "registry"), o.databases());

        assertThrows(
                IllegalArgumentException.class,
                () -> LocalInfra.Options.parse("--kafka-port", "70000"));
        assertThrows(
                IllegalArgumentException.class, () -> LocalInfra.Options.parse("--pg-port", "x"));
        assertThrows(IllegalArgumentException.class, () -> LocalInfra.Options.parse("--nope", "1"));
        assertThrows(IllegalArgumentException.class, () -> LocalInfra.Options.parse("--dir"));
    }

    @Test
    void writesPropertiesThatReachBothServersAndKeepsDataForTheNextRun() throws Exception {
        Path dir = TestDirs.fresh("infra");
        LocalInfra.Options options =
                new LocalInfra.Options(dir, 0, 0, List.of("eagle", "registry"));
        Path file = dir.resolve("infra.properties");
        try (LocalInfra.Running running = LocalInfra.start(options)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            assertEquals(
                    running.kafka().bootstrapServers(), p.getProperty("kafka.bootstrap.servers"));
            assertTrue(running.kafka().topics().isEmpty());
            try (Connection c =
                            DriverManager.getConnection(
                                    p.getProperty("postgres.jdbc.url.registry"),
                                    p.getProperty("postgres.user"),
                                    p.getProperty("postgres.password"));
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_database()")) {
                assertTrue(rs.next());
                assertEquals("registry", rs.getString(1));
            }
            assertEquals(
                    "jdbc:postgresql://localhost:" + running.postgres().port() + "/eagle",
                    p.getProperty("postgres.jdbc.url"));

            running.kafka().createTopic("kept", 1, true);
            try (Connection c = running.postgres().connect("eagle");
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('from the first run')");
            }
        }
        assertFalse(Files.exists(file));

        // a second run on the same folder (new free ports, new controller port) has the same data
        try (LocalInfra.Running again = LocalInfra.start(options)) {
            assertTrue(Files.exists(file));
            assertEquals(java.util.Set.of("kept"), again.kafka().topics());
            try (Connection c = again.postgres().connect("eagle");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals("from the first run", rs.getString(1));
            }
        }
    }
}
