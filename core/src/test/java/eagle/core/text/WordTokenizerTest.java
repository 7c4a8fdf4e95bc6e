package eagle.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordTokenizerTest {

    private final WordTokenizer tokenizer =
            new WordTokenizer(
                    List.of("this", "is", "an", "image", "of", "a", "red", "triangle"), 6);

    @Test
    void aVocabularyFromTextsHoldsEachWordOnceSortedAndLowerCased() {
        WordTokenizer t =
                WordTokenizer.ofTexts(
                        List.of(
                                "Two red discs, on grass",
                                "a red disc",
                                "This is an image of a disc"),
                        8);
        assertEquals(
                List.of(
                        "a", "an", "disc", "discs", "grass", "image", "is", "of", "on", "red",
                        "this", "two"),
                t.words());
        assertEquals(8, t.contextLength());
        assertTrue(t.canPrompt("two red discs on grass"));
    }

    @Test
    void idsArePadWordsUnknownStartEnd() {
        assertEquals(12, tokenizer.vocabSize());
        assertEquals(9, tokenizer.unknownToken());
        assertEquals(10, tokenizer.startToken());
        assertEquals(11, tokenizer.endToken());
        assertArrayEquals(
                new int[] {10, 1, 2, 3, 4, 5, 6, 7, 8, 11},
                tokenizer.encode("This is an image of a red triangle"));
        // lower-cased, split on every non-letter run, unknown words mapped to n+1
        assertArrayEquals(new int[] {10, 7, 9, 8, 11}, tokenizer.encode("  RED--blue,triangle2 "));
    }

    @Test
    void batchPadsAndTruncatesKeepingTheEndToken() {
        int[][] batch =
                tokenizer.encodeBatch(List.of("a triangle", "this is an image of a red triangle"));
        assertArrayEquals(new int[] {10, 6, 8, 11, 0, 0}, batch[0]);
        assertArrayEquals(new int[] {10, 1, 2, 3, 4, 11}, batch[1]);
    }

    @Test
    void canPromptOnlyKnownWordsThatFitTheContext() {
        assertTrue(tokenizer.canPrompt("a red triangle")); // 5 ids
        assertTrue(tokenizer.canPrompt("this is a red")); // 6 ids, exactly L
        assertFalse(tokenizer.canPrompt("a blue triangle"), "blue is not a word of the vocabulary");
        assertFalse(
                tokenizer.canPrompt("this is an image of a red triangle"),
                "10 ids do not fit L = 6");
    }

    @Test
    void jsonRoundTrip() {
        WordTokenizer copy = WordTokenizer.fromJson(tokenizer.toJson());
        assertEquals(tokenizer.words(), copy.words());
        assertEquals(6, copy.contextLength());
        assertArrayEquals(tokenizer.encode("a red image"), copy.encode("a red image"));
    }

    @Test
    void invalidVocabulariesAreRejected() {
        assertThrows(
                IllegalArgumentException.class, () -> new WordTokenizer(List.of("red", "red"), 4));
        assertThrows(IllegalArgumentException.class, () -> new WordTokenizer(List.of("Red"), 4));
        assertThrows(IllegalArgumentException.class, () -> new WordTokenizer(List.of("r2"), 4));
        assertThrows(IllegalArgumentException.class, () -> new WordTokenizer(List.of("red"), 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> WordTokenizer.fromJson("{\"contextLength\": 4}"));
    }
}
