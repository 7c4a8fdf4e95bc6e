package eagle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.text.ClipBpeTokenizer;
import eagle.core.text.Tokenizer;
import eagle.core.text.WordTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerSpecTest {

    private static final List<String> WORDS =
            List.of("this", "is", "an", "image", "of", "a", "red", "triangle");

    @Test
    void jsonRoundTripOfBothKinds() {
        TokenizerSpec bpe = TokenizerSpec.clipBpe(77);
        assertEquals(bpe, TokenizerSpec.fromJson(bpe.toJson()));
        assertFalse(bpe.toJson().contains("words"), bpe.toJson());
        TokenizerSpec words = TokenizerSpec.words(WORDS, 12);
        assertEquals(words, TokenizerSpec.fromJson(words.toJson()));
        assertFalse(words.toJson().contains("vocabSha256"), words.toJson());
        assertEquals(
                TokenizerSpec.words(WORDS, 12),
                TokenizerSpec.fromJson(
                        "{\"kind\":\"words\",\"words\":[\"this\",\"is\",\"an\",\"image\",\"of\",\"a\","
                                + "\"red\",\"triangle\"],\"contextLength\":12}"));
    }

    @Test
    void clipBpeBuildsTheBundledTokenizerAtItsContextLength() {
        Tokenizer clip = TokenizerSpec.clipBpe(77).create();
        assertSame(ClipBpeTokenizer.bundled(), clip);
        Tokenizer short16 = TokenizerSpec.clipBpe(16).create();
        assertEquals(16, short16.contextLength());
        assertEquals(ClipBpeTokenizer.VOCAB_SIZE, short16.vocabSize());
        assertEquals(ClipBpeTokenizer.VOCAB_SIZE, TokenizerSpec.clipBpe(16).vocabSize());
        assertArrayEquals(clip.encode("a photo of a dog."), short16.encode("a photo of a dog."));
        assertEquals(16, short16.encodeBatch(List.of("a dog"))[0].length);
    }

    @Test
    void clipBpeWithAnotherVocabularyIsRefusedNamingBothDigests() {
        String other = "0".repeat(64);
        TokenizerSpec spec = new TokenizerSpec(TokenizerSpec.CLIP_BPE, other, null, 77);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, spec::create);
        assertTrue(e.getMessage().contains(other), e.getMessage());
        assertTrue(e.getMessage().contains(ClipBpeTokenizer.BUNDLED_VOCAB_SHA256), e.getMessage());
    }

    @Test
    void wordsSpecBuildsTheSameIdsAsWordTokenizer() {
        WordTokenizer reference = new WordTokenizer(WORDS, 6);
        Tokenizer built = TokenizerSpec.words(WORDS, 6).create();
        assertInstanceOf(WordTokenizer.class, built);
        assertEquals(reference.vocabSize(), built.vocabSize());
        assertEquals(reference.vocabSize(), TokenizerSpec.words(WORDS, 6).vocabSize());
        List<String> texts = List.of("This is an image of a red triangle", "a blue triangle", "");
        assertArrayEquals(reference.encodeBatch(texts), built.encodeBatch(texts));
        assertEquals(TokenizerSpec.words(WORDS, 6), TokenizerSpec.of(reference));
    }

    @Test
    void invalidSpecsAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new TokenizerSpec("sentencepiece", null, null, 77));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TokenizerSpec(TokenizerSpec.CLIP_BPE, null, null, 77));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TokenizerSpec(TokenizerSpec.CLIP_BPE, "ab", List.of("a"), 77));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TokenizerSpec(TokenizerSpec.WORDS, null, null, 8));
        assertThrows(IllegalArgumentException.class, () -> TokenizerSpec.words(WORDS, 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> TokenizerSpec.fromJson("{\"kind\":\"words\"}"));
        assertThrows(IllegalArgumentException.class, () -> TokenizerSpec.fromJson("not json"));
    }

    @Test
    void describeNamesKindAndSizes() {
        assertEquals("clip-bpe(924691ac…, L 77)", TokenizerSpec.clipBpe(77).describe());
        assertEquals("words(8, L 6)", TokenizerSpec.words(WORDS, 6).describe());
    }
}
