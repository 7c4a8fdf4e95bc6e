package eagle.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolygonRasterizerTest {

    @Test
    void squareFillsThePixelsWhoseCentresAreInside() {
        // square [1,4]x[1,4]: centres 1.5, 2.5, 3.5 in each axis -> pixels x, y in {1,2,3}, area 9
        BinaryMask m =
                PolygonRasterizer.rasterize(List.of(new double[] {1, 1, 4, 1, 4, 4, 1, 4}), 5, 5);
        assertEquals(9, m.area());
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(
                        x >= 1 && x <= 3 && y >= 1 && y <= 3, m.get(y, x), "pixel " + y + "," + x);
            }
        }
        // column-major: 5 + 1 zeros, 3 ones, 2 zeros, 3 ones, 2 zeros, 3 ones, 1 + 5 zeros
        assertArrayEquals(new long[] {6, 3, 2, 3, 2, 3, 6}, CocoRle.encode(m).counts());
    }

    @Test
    void triangleHasItsKnownArea() {
        // (0,0), (6,0), (0,3): inside iff x/6 + y/3 < 1 <=> x + 2y < 6; at centres (x+.5) + 2(y+.5)
        // < 6
        // <=> x + 2y < 4.5: row 0: x = 0..4 (5), row 1: x = 0..2 (3), row 2: x = 0 (1) -> 9, which
        // is
        // also the triangle's area 6*3/2; no centre lies on the hypotenuse.
        BinaryMask m = PolygonRasterizer.rasterize(List.of(new double[] {0, 0, 6, 0, 0, 3}), 4, 8);
        assertEquals(9, m.area());
        assertTrue(m.get(0, 4));
        assertTrue(!m.get(0, 5));
        assertTrue(m.get(1, 2));
        assertTrue(!m.get(1, 3));
        assertTrue(m.get(2, 0));
        assertTrue(!m.get(2, 1));
        assertTrue(!m.get(3, 0));
    }

    @Test
    void severalPolygonsAreUnitedAndOutsidePartsClipped() {
        // two 3x3 squares overlapping in pixel (2,2): 9 + 9 - 1
        BinaryMask m =
                PolygonRasterizer.rasterize(
                        List.of(
                                new double[] {0, 0, 3, 0, 3, 3, 0, 3},
                                new double[] {2, 2, 5, 2, 5, 5, 2, 5}),
                        6,
                        6);
        assertEquals(17, m.area());
        BinaryMask all =
                PolygonRasterizer.rasterize(
                        List.of(new double[] {-2, -2, 10, -2, 10, 10, -2, 10}), 4, 5);
        assertEquals(20, all.area());
    }

    @Test
    void selfIntersectingPolygonUsesEvenOdd() {
        // a square traced twice around (winding number 2): even-odd leaves it empty
        double[] twice = {0, 0, 4, 0, 4, 4, 0, 4, 0, 0, 4, 0, 4, 4, 0, 4};
        assertEquals(0, PolygonRasterizer.rasterize(List.of(twice), 4, 4).area());
    }

    @Test
    void malformedPolygonsAreRejectedWithReasons() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PolygonRasterizer.rasterize(
                                        List.of(new double[] {0, 0, 1, 1, 2}), 4, 4));
        assertTrue(e.getMessage().contains("odd length 5"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PolygonRasterizer.rasterize(
                                        List.of(new double[] {0, 0, 1, 1}), 4, 4));
        assertTrue(e.getMessage().contains("at least 3"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PolygonRasterizer.rasterize(
                                        List.of(new double[] {0, 0, 1, Double.NaN, 2, 2}), 4, 4));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PolygonRasterizer.rasterize(List.of(), 4, 4));
        assertTrue(e.getMessage().contains("at least one polygon"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PolygonRasterizer.rasterize(
                                        List.of(new double[] {0, 0, 1, 0, 1, 1}), 0, 4));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }
}
