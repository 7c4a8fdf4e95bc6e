package eagle.scenes.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.text.WordTokenizer;
import eagle.scenes.experiment.EmbeddedBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretrain --init}: a base goes on training on captions that use all its words; new words
 * get fresh rows, its own words keep theirs.
 */
class PretrainInitTest {

    @TempDir Path dir;

    @Test
    void captionsMayAddWordsButNotDropThem() {
        List<String> base = List.of("a", "disc", "red", "three");
        assertNull(StartingPoint.vocabularyMismatch(base, List.of("a", "disc", "red", "three")));
        assertNull(
                StartingPoint.vocabularyMismatch(
                        base, List.of("a", "blue", "disc", "red", "three")),
                "a new word is welcome");
        String why = StartingPoint.vocabularyMismatch(base, List.of("a", "blue", "disc", "red"));
        assertTrue(why.contains("(4 words)") && why.contains("(4 words;"), why);
        assertTrue(why.contains("new [blue]") && why.contains("gone [three]"), why);
    }

    @Test
    void eachTokenKeepsItsRowUnderItsNewId() {
        // ids: 0 pad, 1..n words, n+1 unknown, n+2 start, n+3 end
        int[] rows = StartingPoint.carriedRows(List.of("a", "disc"), List.of("a", "blue", "disc"));
        assertArrayEquals(new int[] {0, 1, -1, 2, 3, 4, 5}, rows);
    }

    @Test
    void aWidenedBaseKeepsEveryLearntValueAndGivesNewWordsFreshRows() throws Exception {
        List<String> baseWords = List.of("a", "disc", "red");
        WordTokenizer baseTokenizer = new WordTokenizer(baseWords, 8);
        ClipConfig baseConfig = ClipConfig.tiny(baseTokenizer.vocabSize(), 8);
        List<String> words = List.of("a", "blue", "disc", "discs", "red", "two");
        WordTokenizer tokenizer = new WordTokenizer(words, 8);
        ClipConfig config = ClipConfig.tiny(tokenizer.vocabSize(), 8);
        try (ClipModel base = ClipModel.create(baseConfig, EmbeddedBase.device(), 5)) {
            base.save(dir.resolve(EmbeddedBase.MODEL));
            Files.writeString(dir.resolve(EmbeddedBase.TOKENIZER), baseTokenizer.toJson());
            try (ClipModel widened = new StartingPoint(dir).model(config, tokenizer, 9);
                    ClipModel fresh = ClipModel.create(config, EmbeddedBase.device(), 9)) {
                assertEquals(config, widened.config());
                for (String name : base.parameters().keySet()) {
                    if (!name.equals("token_embedding.weight")) {
                        assertArrayEquals(
                                base.parameter(name).toFloatArray(),
                                widened.parameter(name).toFloatArray(),
                                name);
                    }
                }
                int width = config.text().width();
                float[] old = base.parameter("token_embedding.weight").toFloatArray();
                float[] now = widened.parameter("token_embedding.weight").toFloatArray();
                float[] seeded = fresh.parameter("token_embedding.weight").toFloatArray();
                // "disc": id 2 in the base, 3 now; "end of text": 6 in the base, 9 now
                assertArrayEquals(row(old, 2, width), row(now, 3, width), "disc");
                assertArrayEquals(row(old, 6, width), row(now, 9, width), "end of text");
                // "blue" (id 2) and "two" (id 6) are new: the seeded initialisation's rows
                assertArrayEquals(row(seeded, 2, width), row(now, 2, width), "blue");
                assertArrayEquals(row(seeded, 6, width), row(now, 6, width), "two");
                assertFalse(Arrays.equals(row(old, 2, width), row(now, 2, width)));
            }
        }
    }

    @Test
    void aBaseWhoseWordsTheCaptionsDropIsRefused() throws Exception {
        WordTokenizer baseTokenizer = new WordTokenizer(List.of("a", "disc", "red"), 8);
        try (ClipModel base =
                ClipModel.create(
                        ClipConfig.tiny(baseTokenizer.vocabSize(), 8), EmbeddedBase.device(), 5)) {
            base.save(dir.resolve(EmbeddedBase.MODEL));
        }
        Files.writeString(dir.resolve(EmbeddedBase.TOKENIZER), baseTokenizer.toJson());
        WordTokenizer tokenizer = new WordTokenizer(List.of("a", "disc"), 8);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new StartingPoint(dir)
                                        .model(
                                                ClipConfig.tiny(tokenizer.vocabSize(), 8),
                                                tokenizer,
                                                9));
        assertTrue(e.getMessage().contains("gone [red]"), e.getMessage());
    }

    private static float[] row(float[] table, int id, int width) {
        return Arrays.copyOfRange(table, id * width, (id + 1) * width);
    }
}
