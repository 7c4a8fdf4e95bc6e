package eagle.evaluator.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.core.eval.Vectors;
import eagle.core.text.PromptTemplates;
import eagle.core.text.WordTokenizer;
import eagle.scenes.suite.SuiteEncoder;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The suite's classes prompted with the version's templates: K features averaged per class;
 * unusable prompts left out.
 */
class PromptedSuiteEncoderTest {

    private static final List<String> CLASS_PROMPTS =
            List.of("This is an image of a red square", "This is an image of a blue disc");
    private static final List<String> NAMES = List.of("red square", "blue disc");
    private static final PromptTemplates TWO =
            PromptTemplates.of("a photo of a {}.", "a rendering of a {c}.");

    /** Text features that depend on every character, so different prompts differ: (T, 3). */
    private static final class FakeText implements SuiteEncoder {
        final List<List<String>> asked = new ArrayList<>();

        @Override
        public float[][] imageCls(List<BufferedImage> images) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float[][][] imagePatches(List<BufferedImage> images) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float[][] texts(List<String> prompts) {
            asked.add(List.copyOf(prompts));
            return prompts.stream().map(FakeText::feature).toArray(float[][]::new);
        }

        static float[] feature(String s) {
            float[] f = new float[3];
            for (int i = 0; i < s.length(); i++) {
                f[i % 3] += s.charAt(i) * (i + 1);
            }
            return f;
        }
    }

    private static float[] ensemble(String... prompts) {
        float[] sum = new float[3];
        for (String p : prompts) {
            float[] n = Vectors.normalized(FakeText.feature(p));
            for (int d = 0; d < 3; d++) {
                sum[d] += n[d];
            }
        }
        return Vectors.normalized(sum);
    }

    @Test
    void eachClassAveragesItsTemplatesNormalisedFeatures() {
        FakeText text = new FakeText();
        WordTokenizer words =
                new WordTokenizer(
                        List.of("a", "photo", "of", "rendering", "red", "square", "blue", "disc"),
                        16);
        PromptedSuiteEncoder enc = new PromptedSuiteEncoder(text, CLASS_PROMPTS, NAMES, TWO, words);
        float[][] out = enc.texts(CLASS_PROMPTS); // (C, D)
        assertEquals(
                List.of(
                        List.of(
                                "a photo of a red square.",
                                "a rendering of a red square.",
                                "a photo of a blue disc.",
                                "a rendering of a blue disc.")),
                text.asked);
        assertArrayEquals(
                ensemble("a photo of a red square.", "a rendering of a red square."),
                out[0],
                1e-6f);
        assertArrayEquals(
                ensemble("a photo of a blue disc.", "a rendering of a blue disc."), out[1], 1e-6f);
        assertEquals(0, enc.promptsLeftOut());
        // other texts (MMVP statements) go through unchanged
        enc.texts(List.of("two red squares"));
        assertEquals(List.of("two red squares"), text.asked.get(1));
    }

    @Test
    void aPromptTheTokenizerCannotEncodeIsLeftOutAndCounted() {
        FakeText text = new FakeText();
        // "rendering" and "disc" are unknown words
        WordTokenizer words =
                new WordTokenizer(List.of("a", "photo", "of", "red", "square", "blue"), 16);
        PromptedSuiteEncoder enc = new PromptedSuiteEncoder(text, CLASS_PROMPTS, NAMES, TWO, words);
        float[][] out = enc.texts(CLASS_PROMPTS);
        assertArrayEquals(ensemble("a photo of a red square."), out[0], 1e-6f);
        // no prompt of "blue disc" fits: it is encoded with all of them, and counted
        assertArrayEquals(
                ensemble("a photo of a blue disc.", "a rendering of a blue disc."), out[1], 1e-6f);
        assertEquals(3, enc.promptsLeftOut());
        assertEquals(1, enc.classesWithoutPrompt());
    }
}
