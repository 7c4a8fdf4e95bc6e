package eagle.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipBpeTokenizerTest {

    static ClipBpeTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = ClipBpeTokenizer.bundled();
    }

    @Test
    void reproducesEveryReferenceVector() throws IOException {
        JsonNode vectors =
                new ObjectMapper()
                        .readTree(ClipBpeTokenizerTest.class.getResource("tokenizer-vectors.json"))
                        .get("vectors");
        assertTrue(vectors.size() >= 10);
        for (JsonNode vector : vectors) {
            int[] expected = new int[vector.get("ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = vector.get("ids").get(i).intValue();
            }
            String text = vector.get("text").textValue();
            assertArrayEquals(expected, tokenizer.encode(text), text);
            assertArrayEquals(expected, tokenizer.encode(text), "cached: " + text);
        }
    }

    @Test
    void canPromptWhatFitsTheContextLength() {
        ClipBpeTokenizer short8 = ClipBpeTokenizer.bundled(8);
        assertEquals(8, short8.contextLength());
        assertTrue(short8.canPrompt("a photo of a dog.")); // start, 6 pieces, end
        assertFalse(short8.canPrompt("a photo of a big dog."));
        assertTrue(tokenizer.canPrompt("a photo of a big dog."));
        assertTrue(
                tokenizer.canPrompt("a photo of a qwxzzy."), "byte-level BPE has no unknown word");
    }

    @Test
    void vocabularyHasClipsSizeAndSpecialTokens() {
        assertEquals(ClipBpeTokenizer.VOCAB_SIZE, tokenizer.vocabSize());
        assertEquals(49408, tokenizer.vocabSize());
        assertEquals(49406, tokenizer.startToken());
        assertEquals(49407, tokenizer.endToken());
        assertEquals(77, tokenizer.contextLength());
        assertArrayEquals(
                new int[] {49406, 49406, 49407, 49407},
                tokenizer.encode("<|startoftext|><|endoftext|>"));
        // html entities are unescaped before splitting, as CLIP's basic_clean does
        assertArrayEquals(tokenizer.encode("cats & dogs"), tokenizer.encode("cats &amp;amp; dogs"));
    }

    @Test
    void batchPadsWithZerosAndTruncatesKeepingTheEndToken() {
        String longText = String.join(" ", IntStream.range(0, 100).mapToObj(i -> "cat").toList());
        int[][] batch = tokenizer.encodeBatch(List.of("a photo of a cat", longText));
        assertEquals(2, batch.length);
        assertEquals(77, batch[0].length);
        assertArrayEquals(
                new int[] {49406, 320, 1125, 539, 320, 2368, 49407},
                java.util.Arrays.copyOf(batch[0], 7));
        assertTrue(IntStream.range(7, 77).allMatch(i -> batch[0][i] == 0));
        assertEquals(77, batch[1].length);
        assertEquals(49406, batch[1][0]);
        assertEquals(49407, batch[1][76]);
        assertEquals(2368, batch[1][75]);
    }

    @Test
    void bundledMergesFileIsTheOneItsProvenanceNames() throws Exception {
        byte[] bytes;
        try (var in =
                ClipBpeTokenizer.class.getResourceAsStream(ClipBpeTokenizer.BUNDLED_RESOURCE)) {
            bytes = in.readAllBytes();
        }
        String sha =
                java.util.HexFormat.of()
                        .formatHex(
                                java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        assertEquals(ClipBpeTokenizer.BUNDLED_VOCAB_SHA256, sha);
        assertTrue(
                ClipBpeTokenizer.class.getResource("/eagle/core/text/LICENSE-CLIP.txt") != null,
                "licence beside it");
    }

    @Test
    void mergesFileOnDiskGivesTheSameIdsWithItsOwnContextLength(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("merges.txt.gz");
        try (var in =
                ClipBpeTokenizer.class.getResourceAsStream(ClipBpeTokenizer.BUNDLED_RESOURCE)) {
            java.nio.file.Files.copy(in, file);
        }
        ClipBpeTokenizer fromFile = ClipBpeTokenizer.fromMergesFile(file, 16);
        assertEquals(16, fromFile.contextLength());
        assertArrayEquals(
                tokenizer.encode("a traffic light and a wine glass"),
                fromFile.encode("a traffic light and a wine glass"));
        assertEquals(16, fromFile.encodeBatch(List.of("a photo of a cat"))[0].length);
    }
}
