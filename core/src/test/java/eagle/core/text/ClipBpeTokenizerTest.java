package eagle.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    tokenizer = ClipBpeTokenizer.fromMergesFile(SharedData.clip("bpe_simple_vocab_16e6.txt.gz"));
  }

  @Test
  void reproducesEveryReferenceVector() throws IOException {
    JsonNode vectors = new ObjectMapper().readTree(SharedData.clip("tokenizer-vectors.json").toFile())
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
  void vocabularyHasClipsSizeAndSpecialTokens() {
    assertEquals(49408, tokenizer.vocabSize());
    assertEquals(49406, tokenizer.startToken());
    assertEquals(49407, tokenizer.endToken());
    assertEquals(77, tokenizer.contextLength());
    assertArrayEquals(new int[] {49406, 49406, 49407, 49407}, tokenizer.encode("<|startoftext|><|endoftext|>"));
    // html entities are unescaped before splitting, as CLIP's basic_clean does
    assertArrayEquals(tokenizer.encode("cats & dogs"), tokenizer.encode("cats &amp;amp; dogs"));
  }

  @Test
  void batchPadsWithZerosAndTruncatesKeepingTheEndToken() {
    String longText = String.join(" ", IntStream.range(0, 100).mapToObj(i -> "cat").toList());
    int[][] batch = tokenizer.encodeBatch(List.of("a photo of a cat", longText));
    assertEquals(2, batch.length);
    assertEquals(77, batch[0].length);
    assertArrayEquals(new int[] {49406, 320, 1125, 539, 320, 2368, 49407}, java.util.Arrays.copyOf(batch[0], 7));
    assertTrue(IntStream.range(7, 77).allMatch(i -> batch[0][i] == 0));
    assertEquals(77, batch[1].length);
    assertEquals(49406, batch[1][0]);
    assertEquals(49407, batch[1][76]);
    assertEquals(2368, batch[1][75]);
  }
}
