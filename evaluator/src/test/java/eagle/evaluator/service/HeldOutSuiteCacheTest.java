package eagle.evaluator.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.eval.Bootstrap;
import eagle.scenes.SceneGenerator;
import eagle.scenes.suite.Suite;
import eagle.scenes.suite.SuiteConfig;
import eagle.scenes.suite.SuiteResult;
import eagle.scenes.suite.SuiteRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric cache: a result is read back instead of scoring again, unless it lacks per-item
 * outcomes the gate compares (a file written before they existed), which is then not trusted and
 * the version is scored again.
 */
class HeldOutSuiteCacheTest {

    private static final SuiteConfig SMALL = new SuiteConfig(6, 4, 3, 1, 50);

    @TempDir Path dir;

    @Test
    void aCachedResultWithoutTheFprOutcomesIsNotTrusted() throws Exception {
        Suite suite = Suite.build(SceneGenerator.standard(), SMALL);
        SuiteResult scored =
                SuiteRunner.run(
                        new ColourEncoder(),
                        suite,
                        new SuiteRunner.Options(
                                8,
                                SuiteRunner.MmvpRepresentation.MAX_PATCH,
                                new Bootstrap.Options(20, 0.95, 0)));
        assertTrue(scored.outcomes().keySet().containsAll(SuiteRunner.outcomeKeys()));
        HeldOutSuite cache = new HeldOutSuite(SMALL, 20, dir);
        assertEquals(suite.id(), cache.id());
        Path file = dir.resolve(cache.id()).resolve("abc.json");
        Files.createDirectories(file.getParent());

        // a complete result is read back (a restarted evaluator does not score again)
        Files.writeString(file, scored.toJson());
        SuiteResult back = new HeldOutSuite(SMALL, 20, dir).cached("abc").orElseThrow();
        assertArrayEquals(
                scored.outcomesOf("pope.adversarial.fpr"), back.outcomesOf("pope.adversarial.fpr"));

        // the same result as written before the FPR outcomes existed: not trusted
        ObjectNode old = scored.toJsonTree();
        ((ObjectNode) old.get("outcomes")).remove("pope.adversarial.fpr");
        Files.writeString(file, old.toString());
        assertTrue(new HeldOutSuite(SMALL, 20, dir).cached("abc").isEmpty());
    }
}
