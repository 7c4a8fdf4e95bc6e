package eagle.infra.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.infra.KafkaTestResource;
import eagle.infra.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The test resources as a service module uses them. {@link RestartedQuarkusTest} runs under a test
 * profile, so Quarkus stops this application (and closes its class loader) and starts another one
 * in the same JVM: both classes must see the same single PostgreSQL and Kafka, still working.
 */
@QuarkusTest
@QuarkusTestResource(
        value = PostgresTestResource.class,
        initArgs = @ResourceArg(name = PostgresTestResource.DATABASE_ARG, value = "infra_it"))
@QuarkusTestResource(KafkaTestResource.class)
class TestResourcesQuarkusTest {

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

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.kafka-streams.bootstrap-servers")
    String streamsBootstrap;

    @ConfigProperty(name = "quarkus.devservices.enabled")
    boolean devServices;

    @Test
    void runsInQuarkusClassLoaderSoTheForwardingIsExercised() {
        assertNotSame(
                ClassLoader.getSystemClassLoader(), PostgresTestResource.class.getClassLoader());
    }

    @Test
    void configPointsAtTheOneSharedPostgresAndKafka() {
        assertTrue(jdbcUrl.matches("jdbc:postgresql://localhost:\\d+/infra_it"), jdbcUrl);
        assertEquals(PostgresTestResource.jdbcUrl("infra_it"), jdbcUrl);
        assertEquals(KafkaTestResource.bootstrapServers(), bootstrap);
        assertEquals(bootstrap, streamsBootstrap);
        assertEquals(false, devServices);
        assertEquals(1, SharedServers.postmasters());
        assertEquals(1, SharedServers.kafkaControllers());
    }

    @Test
    void databaseSurvivesStopAndStart() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS restarted (n int)");
            s.execute("INSERT INTO restarted VALUES (7)");
        }
        PostgresTestResource.stopDatabase();
        assertEquals(0, SharedServers.postmasters());
        PostgresTestResource.startDatabase();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM restarted WHERE n = 7")) {
            assertTrue(rs.next());
            assertTrue(rs.getInt(1) >= 1);
        }
    }

    @Test
    void brokerServesRecordsAcrossARestart() throws Exception {
        KafkaTestResource.createTopic("infra-it-first", 1, false);
        SharedServers.send(bootstrap, "infra-it-first", "k", "before");
        KafkaTestResource.stopBroker();
        assertEquals(0, SharedServers.kafkaControllers());
        KafkaTestResource.restartBroker();
        SharedServers.send(bootstrap, "infra-it-first", "k", "after");
        assertEquals(
                List.of("k=before", "k=after"), SharedServers.read(bootstrap, "infra-it-first"));
    }
}
