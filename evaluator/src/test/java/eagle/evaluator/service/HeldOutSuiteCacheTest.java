package eagle.evaluator.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.text.PromptTemplates;
import eagle.core.text.WordTokenizer;
import eagle.scenes.SceneGenerator;
import eagle.scenes.suite.SuiteConfig;
import eagle.scenes.suite.SuiteResult;
import eagle.scenes.suite.SuiteRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric cache: a result is read back instead of scoring again, unless it lacks per-item
 * outcomes the gate compares (a file written before they existed), which is scored again.
 */
class HeldOutSuiteCacheTest {

    private static final SuiteConfig SMALL = new SuiteConfig(6, 4, 3, 1, 50);

    @TempDir Path dir;

    @Test
    void aCachedResultWithoutTheFprOutcomesIsScoredAgain() throws Exception {
        TreeSet<String> words = new TreeSet<>();
        for (String prompt : SceneGenerator.standard().taxonomy().prompts()) {
            words.addAll(Arrays.asList(prompt.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")));
        }
        words.remove("");
        WordTokenizer tokenizer = new WordTokenizer(List.copyOf(words), 16);
        ClipConfig config = ClipConfig.tiny(tokenizer.vocabSize());
        AtomicInteger loads = new AtomicInteger();
        Supplier<ClipModel> load =
                () -> {
                    loads.incrementAndGet();
                    return ClipModel.create(config, Device.cpu(), 1);
                };

        SuiteResult first =
                new HeldOutSuite(SMALL, 50, dir)
                        .score("abc", load, tokenizer, PromptTemplates.DEFAULT);
        assertEquals(1, loads.get());
        assertTrue(first.outcomes().keySet().containsAll(SuiteRunner.outcomeKeys()));

        // a restarted evaluator reads the file back without loading the model
        HeldOutSuite restarted = new HeldOutSuite(SMALL, 50, dir);
        restarted.score("abc", load, tokenizer, PromptTemplates.DEFAULT);
        assertEquals(1, loads.get());

        // the same file as written before the FPR outcomes existed: not trusted, scored again
        Path file = dir.resolve(restarted.id()).resolve("abc.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode old = (ObjectNode) json.readTree(file.toFile());
        ((ObjectNode) old.get("outcomes")).remove("pope.adversarial.fpr");
        Files.writeString(file, old.toString());
        HeldOutSuite upgraded = new HeldOutSuite(SMALL, 50, dir);
        assertTrue(upgraded.cached("abc").isEmpty());
        SuiteResult again = upgraded.score("abc", load, tokenizer, PromptTemplates.DEFAULT);
        assertEquals(2, loads.get());
        assertArrayEquals(
                first.outcomesOf("pope.adversarial.fpr"), again.outcomesOf("pope.adversarial.fpr"));
        assertTrue(new HeldOutSuite(SMALL, 50, dir).cached("abc").isPresent(), "rewritten");
    }
}
