package eagle.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CountedPhrasesTest {

    @Test
    void oneTakesAnArticleAndMoreTakeANumberAndThePlural() {
        assertEquals("a red triangle", CountedPhrases.phrase(1, "red triangle"));
        assertEquals("an orange disc", CountedPhrases.phrase(1, "orange disc"));
        assertEquals("two red crosses", CountedPhrases.phrase(2, "red cross"));
        assertEquals("three boxes", CountedPhrases.phrase(3, "box"));
        assertEquals("four benches", CountedPhrases.phrase(4, "bench"));
        assertEquals("two teddy bears", CountedPhrases.phrase(2, "teddy bear"));
        assertEquals("three babies", CountedPhrases.phrase(3, "baby"));
        assertEquals("two toys", CountedPhrases.phrase(2, "toy"));
        assertThrows(IllegalArgumentException.class, () -> CountedPhrases.phrase(0, "box"));
        assertThrows(
                IllegalArgumentException.class,
                () -> CountedPhrases.phrase(CountedPhrases.MAX_COUNT + 1, "box"));
        assertThrows(IllegalArgumentException.class, () -> CountedPhrases.phrase(2, " "));
    }

    @Test
    void phrasesAreClassMajorWithCountsOneToM() {
        List<String> phrases = CountedPhrases.of(List.of("star", "dog"));
        assertEquals(2 * CountedPhrases.MAX_COUNT, phrases.size());
        assertEquals(
                List.of(
                        "a star",
                        "two stars",
                        "three stars",
                        "four stars",
                        "a dog",
                        "two dogs",
                        "three dogs",
                        "four dogs"),
                phrases);
    }

    @Test
    void aVocabularyWithoutCountWordsIsRefusedNamingThePhrase() {
        WordTokenizer noCounts = new WordTokenizer(List.of("a", "red", "star", "stars"), 16);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CountedPhrases.encode(noCounts, List.of("red star")));
        assertTrue(e.getMessage().contains("'two red stars'"), e.getMessage());
        WordTokenizer counts =
                new WordTokenizer(List.of("a", "two", "three", "four", "red", "star", "stars"), 16);
        int[][] tokens = CountedPhrases.encode(counts, List.of("red star"));
        assertArrayEquals(counts.encodeBatch(List.of("three red stars"))[0], tokens[2]);
    }
}
