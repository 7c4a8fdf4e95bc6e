package eagle.core.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.method.MaskedAveragePooling;
import org.junit.jupiter.api.Test;

/**
 * A 640 × 480 image seen by a 224 px, patch-16 encoder: resized to 299 × 224, the crop starts 37
 * resized pixels in, so source columns x &lt; 37 · 640/299 ≈ 79.2 and x ≥ 261 · 640/299 ≈ 558.7 are
 * cut away.
 */
class PoolingEligibilityTest {

    private static final int W = 640;
    private static final int H = 480;
    private static final int S = 224;
    private static final int PATCH = 16;

    /** A mask of the whole image with columns [x0, x1) and rows [y0, y1) set. */
    static BinaryMask box(int x0, int x1, int y0, int y1) {
        BinaryMask mask = BinaryMask.empty(H, W);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                mask.set(y, x, true);
            }
        }
        return mask;
    }

    @Test
    void anObjectAtTheLeftEdgeIsCroppedAway() {
        PoolingEligibility verdict = PoolingEligibility.of(box(0, 60, 200, 300), W, H, S, PATCH);
        assertEquals(PoolingEligibility.Reason.UNUSABLE_CROPPED_AWAY, verdict.reason());
        assertEquals((S / PATCH) * (S / PATCH), verdict.coverage().length);
        // pooling would refuse it: the verdict predicts MaskedAveragePooling's failure
        assertThrows(
                IllegalArgumentException.class,
                () -> MaskedAveragePooling.selectionWeights(verdict.coverage(), 0f));
        assertEquals("cropped_away", verdict.reason().code());
    }

    @Test
    void anObjectAtTheRightEdgeIsCroppedAwayToo() {
        assertEquals(
                PoolingEligibility.Reason.UNUSABLE_CROPPED_AWAY,
                PoolingEligibility.of(box(570, 640, 0, 480), W, H, S, PATCH).reason());
    }

    @Test
    void objectsInsideOrStraddlingTheCropAreUsable() {
        PoolingEligibility inside = PoolingEligibility.of(box(300, 340, 200, 260), W, H, S, PATCH);
        assertTrue(inside.usable(), inside.toString());
        assertNull(inside.reason());
        // a sliver from the left edge to just past the crop line (x = 79.2) keeps a little coverage
        PoolingEligibility straddling = PoolingEligibility.of(box(0, 82, 200, 300), W, H, S, PATCH);
        assertTrue(straddling.usable(), straddling.toString());
        float[] weights = MaskedAveragePooling.selectionWeights(straddling.coverage(), 0.5f);
        assertEquals(1f, sum(weights), 1e-6f);
        // the covered patches are in the first patch column only
        for (int p = 0; p < straddling.coverage().length; p++) {
            if (straddling.coverage()[p] > 0f) {
                assertEquals(0, p % (S / PATCH), "patch " + p);
            }
        }
    }

    @Test
    void anEmptyMaskIsEmpty() {
        PoolingEligibility verdict = PoolingEligibility.of(BinaryMask.empty(H, W), W, H, S, PATCH);
        assertEquals(PoolingEligibility.Reason.UNUSABLE_EMPTY, verdict.reason());
        assertNull(verdict.coverage());
    }

    @Test
    void aMaskOfAnotherSizeIsRefused() {
        BinaryMask half = BinaryMask.empty(H / 2, W / 2);
        half.set(100, 150, true);
        assertEquals(
                PoolingEligibility.Reason.UNUSABLE_SIZE_MISMATCH,
                PoolingEligibility.of(half, W, H, S, PATCH).reason());
        // height and width are not swapped silently
        assertEquals(
                PoolingEligibility.Reason.UNUSABLE_SIZE_MISMATCH,
                PoolingEligibility.of(box(300, 340, 200, 260), H, W, S, PATCH).reason());
    }

    @Test
    void aMinimumAreaMakesTinyObjectsTooSmall() {
        // 10 × 10 source pixels ≈ 3.5 × 3.5 resized pixels ≈ 0.048 of a 16 × 16 patch
        BinaryMask tiny = box(300, 310, 200, 210);
        assertTrue(PoolingEligibility.of(tiny, W, H, S, PATCH).usable());
        PoolingEligibility small = PoolingEligibility.of(tiny, W, H, S, PATCH, 0.5);
        assertEquals(PoolingEligibility.Reason.UNUSABLE_TOO_SMALL, small.reason());
        assertEquals(100 * (224.0 / 480) * (224.0 / 480) / 256, sum(small.coverage()), 1e-3);
        // a 60 × 60 object covers about 3 patches
        assertTrue(PoolingEligibility.of(box(300, 360, 200, 260), W, H, S, PATCH, 0.5).usable());
        assertThrows(
                IllegalArgumentException.class,
                () -> PoolingEligibility.of(tiny, W, H, S, PATCH, -1));
    }

    @Test
    void theTinyEncoderCropsTheSameWay() {
        // 64 px, patch 8: resized 85 × 64, crop offset 10 resized pixels = 75.3 source columns
        assertEquals(
                PoolingEligibility.Reason.UNUSABLE_CROPPED_AWAY,
                PoolingEligibility.of(box(0, 70, 0, 480), W, H, 64, 8).reason());
        assertTrue(PoolingEligibility.of(box(0, 80, 0, 480), W, H, 64, 8).usable());
    }

    private static float sum(float[] values) {
        float s = 0f;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
