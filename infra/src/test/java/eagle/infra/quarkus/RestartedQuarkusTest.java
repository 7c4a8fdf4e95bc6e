package eagle.infra.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.infra.KafkaTestResource;
import eagle.infra.PostgresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A second Quarkus application in the same JVM (another test profile): the test resources are
 * global, so it gets the same servers, which must still be single and serving.
 */
@QuarkusTest
@TestProfile(RestartedQuarkusTest.Other.class)
class RestartedQuarkusTest {

    /** Any profile differing from the default forces Quarkus to restart. */
    public static class Other implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("eagle.infra.it.profile", "other");
        }
    }

    static {
        // DriverManager only hands out drivers visible to the caller's (Quarkus's) class loader
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "eagle.infra.it.profile")
    String profile;

    @Test
    void sameSingleServersStillServe() throws Exception {
        assertEquals("other", profile);
        assertEquals(1, SharedServers.postmasters());
        assertEquals(1, SharedServers.kafkaControllers());
        assertEquals(KafkaTestResource.bootstrapServers(), bootstrap);
        assertEquals(PostgresTestResource.jdbcUrl("infra_it"), jdbcUrl);

        KafkaTestResource.createTopic("infra-it-second", 1, false);
        SharedServers.send(bootstrap, "infra-it-second", "k", "v");
        assertEquals(List.of("k=v"), SharedServers.read(bootstrap, "infra-it-second"));
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            assertTrue(rs.next());
            assertEquals("infra_it", rs.getString(1));
        }
    }
}
