package eagle.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BinaryMaskTest {

    @Test
    void rowMajorLayoutAreaAndBox() {
        // 2 rows x 3 columns; row-major index y*3 + x: set (0,1) and (1,2)
        BinaryMask m = BinaryMask.of(2, 3, new boolean[] {false, true, false, false, false, true});
        assertTrue(m.get(0, 1));
        assertTrue(m.get(1, 2));
        assertFalse(m.get(1, 1));
        assertEquals(2, m.area());
        assertArrayEquals(new int[] {1, 0, 2, 2}, m.boundingBox()); // x=1, y=0, w=2, h=2
        assertArrayEquals(new int[] {0, 0, 0, 0}, BinaryMask.empty(4, 4).boundingBox());
    }

    @Test
    void equalityIsByValueAndInputIsCopied() {
        boolean[] px = {true, false, false, true};
        BinaryMask a = BinaryMask.of(2, 2, px);
        px[1] = true;
        BinaryMask b = BinaryMask.empty(2, 2);
        b.set(0, 0, true);
        b.set(1, 1, true);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, BinaryMask.of(1, 4, new boolean[] {true, false, false, true}));
        assertEquals(
                3, a.or(BinaryMask.of(2, 2, new boolean[] {false, true, false, false})).area());
    }

    @Test
    void badSizesAndIndicesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> BinaryMask.empty(0, 3));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> BinaryMask.of(2, 2, new boolean[3]));
        assertTrue(e.getMessage().contains("needs 4"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> BinaryMask.empty(2, 2).get(2, 0));
    }
}
