package eagle.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.core.model.TokenizerSpec;
import eagle.core.text.WordTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text cosines of a saved encoder: the encoder's own text features compared by hand, its
 * tokenizer read from the file, and a text it cannot say refused.
 */
class TextCosinesTest {

    private static final List<String> WORDS = List.of("a", "red", "star", "on", "the", "left");

    @Test
    void everyPairOfTextsGetsTheCosineOfTheirEmbeddings(@TempDir Path dir) throws Exception {
        WordTokenizer tokenizer = new WordTokenizer(WORDS, 16);
        ClipConfig config = ClipConfig.tiny(tokenizer.vocabSize());
        Path file = dir.resolve("model.safetensors");
        List<String> texts = List.of("a red star", "a red star on the left", "the left");
        float[] features;
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 3)) {
            model.save(
                    file,
                    EncoderSpec.of(config, TokenizerSpec.of(tokenizer), List.of()).metadata());
            features = model.encodeText(tokenizer.encodeBatch(texts)).toFloatArray();
        }
        double[][] c = TextCosines.of(file, texts);
        int d = features.length / texts.size();
        for (int i = 0; i < texts.size(); i++) {
            for (int j = 0; j < texts.size(); j++) {
                double dot = 0;
                double ni = 0;
                double nj = 0;
                for (int k = 0; k < d; k++) {
                    dot += (double) features[i * d + k] * features[j * d + k];
                    ni += (double) features[i * d + k] * features[i * d + k];
                    nj += (double) features[j * d + k] * features[j * d + k];
                }
                assertEquals(dot / Math.sqrt(ni * nj), c[i][j], 1e-5, i + "," + j);
            }
        }
        assertEquals(1.0, c[1][1], 1e-6);
        assertThrows(
                IllegalArgumentException.class,
                () -> TextCosines.of(file, List.of("a red star", "a blue star")));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextCosines.print(texts, c, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[1].startsWith("a red star on the left  "), lines[1]);
        assertTrue(lines[1].endsWith(String.format(" %6.3f", c[1][2])), lines[1]);
    }
}
