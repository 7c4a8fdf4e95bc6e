package eagle.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ZeroShotTest {

    @Test
    void argmaxOfCosineNotOfDotProduct() {
        // classes: t0 = (10, 0) (long vector), t1 = (1, 1)
        float[][] text = {{10, 0}, {1, 1}};
        // image (1, 2): dot with t0 = 10, with t1 = 3 → dot picks 0;
        // cos with t0 = 1/√5 ≈ 0.447, with t1 = 3/(√5·√2) ≈ 0.949 → cosine picks 1
        // image (3, -1): cos t0 = 3/√10 ≈ 0.949, cos t1 = 2/(√10·√2) ≈ 0.447 → 0
        // image (0, 0): all cosines 0 → tie → lowest id 0
        float[][] images = {{1, 2}, {3, -1}, {0, 0}};
        assertArrayEquals(new int[] {1, 0, 0}, ZeroShot.predict(images, text));
        // labels 1, 1, 0 → 2 of 3 correct
        assertEquals(2.0 / 3, ZeroShot.accuracy(images, text, new int[] {1, 1, 0}), 1e-12);
    }
}
