package eagle.ingest.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.core.mask.BinaryMask;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LabelStudioRleTest {

    /** Values [0, 0, 0, 7] written bit by bit after Label Studio's brush format. */
    private static final String HAND_BITS =
            "00000000000000000000000000000100" // n = 4
                    + "00111" // word size − 1 = 7
                    + "0010"
                    + "0011"
                    + "0111"
                    + "1111" // run sizes − 1 = 2, 3, 7, 15
                    + "1"
                    + "00"
                    + "010"
                    + "00000000" // repeat, size #0 (3 bits), length − 1 = 2, value 0
                    + "0"
                    + "00"
                    + "000"
                    + "00000111"; // literal, size #0, length − 1 = 0, value 7

    private static int[] pack(String bits) {
        int[] bytes = new int[(bits.length() + 7) / 8];
        for (int i = 0; i < bits.length(); i++) {
            if (bits.charAt(i) == '1') {
                bytes[i / 8] |= 1 << (7 - i % 8);
            }
        }
        return bytes;
    }

    @Test
    void decodesHandMadeBits() {
        assertArrayEquals(new int[] {0, 0, 0, 7}, LabelStudioRle.decode(pack(HAND_BITS)));
    }

    @Test
    void encodesToTheHandMadeBits() {
        assertArrayEquals(pack(HAND_BITS), LabelStudioRle.encode(new int[] {0, 0, 0, 7}));
    }

    @Test
    void masksSurviveARoundTrip() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            int h = 1 + random.nextInt(30);
            int w = 1 + random.nextInt(30);
            boolean[] pixels = new boolean[h * w];
            // blobs of runs, so both repeat and literal blocks occur
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] =
                        random.nextInt(10) < 3
                                ? !pixels[Math.max(0, i - 1)]
                                : (i > 0 && pixels[i - 1]);
            }
            BinaryMask mask = BinaryMask.of(h, w, pixels);
            BinaryMask back = LabelStudioRle.toMask(LabelStudioRle.encode(mask), h, w);
            assertEquals(mask, back);
        }
    }
}
