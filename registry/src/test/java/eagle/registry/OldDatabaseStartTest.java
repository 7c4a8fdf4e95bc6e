package eagle.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.infra.KafkaTestResource;
import eagle.registry.migration.ChecksumMove;
import eagle.registry.migration.OldV1DatabaseResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The registry starts on a database migrated before V1's comment changed, and works on it. */
@QuarkusTest
@WithTestResource(OldV1DatabaseResource.class)
@WithTestResource(KafkaTestResource.class)
class OldDatabaseStartTest {

    @Inject AgroalDataSource dataSource;

    @Test
    void startsMovesTheChecksumAndServes() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "select checksum from flyway_schema_history where version = '1'")) {
            r.next();
            assertEquals(ChecksumMove.V1_COMMENT.to(), r.getInt(1));
        }
        String model = Api.createModel("old-db");
        Api.readyVersion(model, Api.bytes(10, 601), null);
    }
}
