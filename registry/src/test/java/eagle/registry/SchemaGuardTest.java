package eagle.registry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.infra.KafkaTestResource;
import eagle.infra.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The database itself refuses to rewrite history, evaluations, versions or stored artifacts. */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(KafkaTestResource.class)
class SchemaGuardTest {

    @Inject AgroalDataSource dataSource;

    @Test
    void immutableRowsCannotBeChanged() throws SQLException {
        String model = Api.createModel("guard");
        Api.readyVersion(model, Api.bytes(10, 600), null);
        Api.evaluate(model, 1, true);
        Api.moveAlias(model, "production", 1, "guarded").then().statusCode(200);
        String version =
                "(select v.id from model_version v join encoder_model m on m.id = v.model_id"
                        + " where m.name = '"
                        + model
                        + "' and v.number = 1)";

        refused(
                "update alias_history set reason = 'rewritten' where alias_id in (select a.id from alias a"
                        + " join encoder_model m on m.id = a.model_id where m.name = '"
                        + model
                        + "')",
                "append-only");
        refused("delete from evaluation where version_id = " + version, "append-only");
        refused(
                "update model_version set sha256 = '" + "0".repeat(64) + "' where id = " + version,
                "immutable");
        refused(
                "update model_version set status = 'PENDING_ARTIFACT' where id = " + version,
                "cannot go back");
        refused("delete from artifact_chunk where version_id = " + version, "immutable");
    }

    private void refused(String sql, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
            assertTrue(e.getMessage().contains(reason), e.getMessage());
        }
    }
}
