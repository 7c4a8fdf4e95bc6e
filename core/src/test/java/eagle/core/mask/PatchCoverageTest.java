package eagle.core.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PatchCoverageTest {

    private static BinaryMask full(int h, int w) {
        boolean[] px = new boolean[h * w];
        Arrays.fill(px, true);
        return BinaryMask.of(h, w, px);
    }

    @Test
    void fullMaskCoversEveryPatch() {
        for (int[] hw : new int[][] {{20, 30}, {30, 20}, {7, 5}, {224, 224}, {3, 1000}}) {
            float[] a = PatchCoverage.of(full(hw[0], hw[1]), 224, 16);
            assertEquals(14 * 14, a.length);
            for (float v : a) {
                assertEquals(1.0f, v, 1e-6f, Arrays.toString(hw));
            }
        }
    }

    @Test
    void onePixelCoversExactlyOnePatchByItsArea() {
        // 32x32 -> S = 16 (scale 1/2), patch 4 -> 4x4 grid; a patch is 8x8 source pixels.
        // pixel (y=10, x=5): gy = 10/8 = 1, gx = 5/8 = 0 -> index 1*4 + 0 = 4, fraction 1/64.
        BinaryMask m = BinaryMask.empty(32, 32);
        m.set(10, 5, true);
        float[] a = PatchCoverage.of(m, 16, 4);
        for (int p = 0; p < a.length; p++) {
            assertEquals(p == 4 ? 1.0 / 64 : 0.0, a[p], 1e-7, "patch " + p);
        }
    }

    @Test
    void wideImageEdgePatchesAfterCentreCrop() {
        // h=20, w=30, S=10, patch 5: scale 10/20 -> resized 15 x 10; crop ox = floor((15-10)/2) =
        // 2,
        // oy = 0. Column gx=0 is resized x in [2, 7) -> source [4, 14); gx=1: [7, 12) -> [14, 24).
        // Left strip x < 5: gx=0 gets [4, 5) of 10 = 0.1 in both rows; gx=1 nothing.
        BinaryMask left = BinaryMask.empty(20, 30);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 5; x++) {
                left.set(y, x, true);
            }
        }
        float[] a = PatchCoverage.of(left, 10, 5);
        assertEquals(0.1f, a[0], 1e-6f);
        assertEquals(0.0f, a[1], 0f);
        assertEquals(0.1f, a[2], 1e-6f);
        assertEquals(0.0f, a[3], 0f);
        // Right strip x >= 20: gx=1 gets [20, 24) of 10 = 0.4; gx=0 nothing.
        BinaryMask right = BinaryMask.empty(20, 30);
        for (int y = 0; y < 20; y++) {
            for (int x = 20; x < 30; x++) {
                right.set(y, x, true);
            }
        }
        float[] b = PatchCoverage.of(right, 10, 5);
        assertEquals(0.0f, b[0], 0f);
        assertEquals(0.4f, b[1], 1e-6f);
        assertEquals(0.0f, b[2], 0f);
        assertEquals(0.4f, b[3], 1e-6f);
        // a strip wholly inside the cropped-away columns [0, 4) covers nothing
        BinaryMask cropped = BinaryMask.empty(20, 30);
        cropped.set(3, 3, true);
        for (float v : PatchCoverage.of(cropped, 10, 5)) {
            assertEquals(0f, v, 0f);
        }
    }

    @Test
    void roundedResizeUsesEachAxisOwnScale() {
        // h=5, w=7, S=4, patch 2: w' = round(7*4/5) = round(5.6) = 6, h' = 4; ox = floor(2/2) = 1.
        // x back-scale 7/6: gx=0 -> [7/6, 3.5), gx=1 -> [3.5, 35/6); y back-scale 5/4: gy=0 -> [0,
        // 2.5),
        // gy=1 -> [2.5, 5). Each patch's source area: (7/3) * 2.5 = 35/6.
        // Pixel (y=0, x=1) = [1,2)x[0,1): only patch (0,0), overlap (2 - 7/6) * 1 = 5/6 -> 1/7.
        BinaryMask m = BinaryMask.empty(5, 7);
        m.set(0, 1, true);
        float[] a = PatchCoverage.of(m, 4, 2);
        assertEquals(1.0 / 7, a[0], 1e-6);
        assertEquals(0f, a[1], 0f);
        assertEquals(0f, a[2], 0f);
        assertEquals(0f, a[3], 0f);
        // Pixel (y=2, x=3) = [3,4)x[2,3) straddles both cuts x = 3.5 and y = 2.5: each patch
        // overlaps
        // it by 0.5 * 0.5 = 0.25 -> 0.25 / (35/6) = 3/70 in all four.
        BinaryMask c = BinaryMask.empty(5, 7);
        c.set(2, 3, true);
        for (float v : PatchCoverage.of(c, 4, 2)) {
            assertEquals(3.0 / 70, v, 1e-6);
        }
    }

    @Test
    void coverageIsAnAreaAverageOfTheMask() {
        // Summed over the patches, coverage * patch source area = mask area inside the crop window.
        // For a square image without cropping (scale 2) that is simply the mask area.
        BinaryMask m = BinaryMask.empty(8, 8);
        m.set(1, 1, true);
        m.set(2, 6, true);
        m.set(7, 7, true);
        float[] a = PatchCoverage.of(m, 16, 4); // patch = 2x2 source pixels
        double total = 0;
        for (float v : a) {
            total += v * 4;
        }
        assertEquals(3.0, total, 1e-6);
        assertTrue(a[0] > 0 && a[1 * 4 + 3] > 0 && a[3 * 4 + 3] > 0);
    }

    @Test
    void badSizesAreRejected() {
        BinaryMask m = BinaryMask.empty(4, 4);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PatchCoverage.of(m, 10, 3));
        assertTrue(e.getMessage().contains("does not divide"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PatchCoverage.of(m, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> PatchCoverage.of(m, 8, 0));
    }
}
