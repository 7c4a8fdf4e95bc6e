package eagle.registry.migration;

import static eagle.registry.migration.OldV1Database.flyway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

/**
 * A registry database migrated with the old V1 (whose first comment line differed, so Flyway
 * recorded another checksum) validates against the new one after the move; a V1 changed in any
 * other way still fails validation. Against the shared real PostgreSQL, one database per case.
 */
class ChecksumMoveTest {

    private static final String CURRENT = "classpath:db/migration";

    @Test
    void theNewChecksumIsTheOneFlywayComputesForTodaysFile() {
        MigrationInfo current =
                flyway("move_current_" + System.nanoTime(), CURRENT).info().all()[0];
        assertEquals("1", current.getVersion().getVersion());
        assertEquals(ChecksumMove.V1_COMMENT.to(), current.getChecksum());
    }

    @Test
    void aDatabaseMigratedWithTheOldCommentValidatesAfterTheMove() {
        String db = OldV1Database.beforeTheCommentChange("move_migrated");
        assertFalse(
                flyway(db, CURRENT).validateWithResult().validationSuccessful,
                "without the move the old database fails validation");
        Flyway moving = flyway(db, CURRENT, ChecksumMove.V1_COMMENT);
        moving.migrate();
        assertEquals(ChecksumMove.V1_COMMENT.to(), appliedV1(db));
        assertTrue(moving.validateWithResult().validationSuccessful);
    }

    @Test
    void anyOtherChangeStillFailsValidation() {
        String db = OldV1Database.withFirstLine("move_other", "-- a different first line");
        int recorded = appliedV1(db);
        Flyway moving = flyway(db, CURRENT, ChecksumMove.V1_COMMENT);
        FlywayException e = assertThrows(FlywayException.class, moving::migrate);
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertEquals(recorded, appliedV1(db), "only the exact old checksum moves");
    }

    @Test
    void aFreshDatabaseMigratesWithTheCallback() {
        String db = "move_fresh_" + System.nanoTime();
        flyway(db, CURRENT, ChecksumMove.V1_COMMENT).migrate();
        assertEquals(ChecksumMove.V1_COMMENT.to(), appliedV1(db));
    }

    private static int appliedV1(String db) {
        MigrationInfo[] applied = flyway(db, CURRENT).info().applied();
        assertEquals("1", applied[0].getVersion().getVersion());
        return applied[0].getChecksum();
    }
}
