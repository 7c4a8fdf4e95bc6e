package eagle.scenes.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import eagle.core.text.WordTokenizer;
import eagle.core.train.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pre-training batch: each drawn image's negative comes along, owned by the image's row. */
class PretrainBatchTest {

    private static final WordTokenizer TOKENIZER =
            new WordTokenizer(List.of("a", "star", "on", "the", "left", "right", "disc"), 16);

    @Test
    void negativesAreTokenisedWithGapsAndFollowTheirImagesIntoTheBatch() {
        List<String> captions = List.of("a star on the left", "a disc", "a disc on the right");
        List<String> negatives = Arrays.asList("a star on the right", null, "a disc on the left");
        int[][] captionTokens = TOKENIZER.encodeBatch(captions);
        int[][] negativeTokens = PretrainBatch.encodeWithGaps(TOKENIZER, negatives);
        assertNull(negativeTokens[1]);
        assertArrayEquals(
                TOKENIZER.encodeBatch(List.of("a disc on the left"))[0], negativeTokens[2]);

        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            images.add(new float[] {i, i, i});
        }
        PretrainBatch batch =
                PretrainBatch.draw(new SeededRandom(4), 12, images, captionTokens, negativeTokens);
        assertEquals(36, batch.pixels().length);
        int withNegative = 0;
        int k = 0;
        for (int b = 0; b < 12; b++) {
            int image = (int) batch.pixels()[3 * b];
            assertArrayEquals(captionTokens[image], batch.captions()[b]);
            if (image != 1) {
                withNegative++;
                assertEquals(b, batch.owners()[k]);
                assertArrayEquals(negativeTokens[image], batch.negatives()[k++]);
            }
        }
        assertEquals(withNegative, batch.negatives().length);
        assertEquals(withNegative, batch.owners().length);
    }
}
