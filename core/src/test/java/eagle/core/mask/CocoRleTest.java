package eagle.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CocoRleTest {

    private static BinaryMask random(Random rnd, int h, int w, double p) {
        boolean[] px = new boolean[h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = rnd.nextDouble() < p;
        }
        return BinaryMask.of(h, w, px);
    }

    @Test
    void countsAreColumnMajorAndStartWithZeros() {
        // 3x3, set (y,x) = (0,0), (1,0), (2,2). Column-major read: col0 = 1,1,0; col1 = 0,0,0;
        // col2 = 0,0,1 -> 1 1 0 0 0 0 0 0 1 -> runs: 0 zeros, 2 ones, 6 zeros, 1 one.
        BinaryMask m = BinaryMask.empty(3, 3);
        m.set(0, 0, true);
        m.set(1, 0, true);
        m.set(2, 2, true);
        CocoRle rle = CocoRle.encode(m);
        assertArrayEquals(new long[] {0, 2, 6, 1}, rle.counts());
        assertEquals(3, rle.area());
        assertEquals(m, rle.decode());
    }

    @Test
    void allZerosAllOnesAndOnePixel() {
        assertArrayEquals(new long[] {12}, CocoRle.encode(BinaryMask.empty(3, 4)).counts());
        boolean[] ones = new boolean[12];
        java.util.Arrays.fill(ones, true);
        BinaryMask full = BinaryMask.of(3, 4, ones);
        assertArrayEquals(new long[] {0, 12}, CocoRle.encode(full).counts());
        assertEquals(full, CocoRle.encode(full).decode());
        // one pixel (y=1, x=2) of 3x4: column-major index 2*3 + 1 = 7 -> 7 zeros, 1 one, 4 zeros
        BinaryMask one = BinaryMask.empty(3, 4);
        one.set(1, 2, true);
        assertArrayEquals(new long[] {7, 1, 4}, CocoRle.encode(one).counts());
        assertEquals(one, CocoRle.encode(one).decode());
        assertEquals("714", CocoRle.encode(one).toCompressedString());
    }

    @Test
    void compressedStringsWorkedOutByHand() {
        // [1,2,1]: each value < 16 fits one group without continuation: chars 48+1, 48+2, 48+1.
        assertEquals("121", new CocoRle(2, 2, new long[] {1, 2, 1}).toCompressedString());
        // [9] all zeros, [0, 9] all ones.
        assertEquals("9", new CocoRle(3, 3, new long[] {9}).toCompressedString());
        assertEquals("09", new CocoRle(3, 3, new long[] {0, 9}).toCompressedString());
        // [16, 4]: 16 = 0b10000: group 16 has the sign bit 0x10 set but the rest is 0 (not -1), so
        // a
        // second group follows: (16|0x20)+48 = 96 '`', then 0+48 '0'; 4 -> '4'.
        assertEquals("`04", new CocoRle(4, 5, new long[] {16, 4}).toCompressedString());
        // [1000]: 1000 = 0b11111_01000: groups 8 (more: 8|32+48 = 88 'X'), 31 (bit 0x10 set, rest
        // 0 != -1 -> more: 31|32+48 = 111 'o'), 0 -> '0'.
        assertEquals("Xo0", new CocoRle(10, 100, new long[] {1000}).toCompressedString());
        // [2, 40, 3, 36] (9x9 = 81): 2 -> '2'; 40 = 0b1_01000: 8|32+48 = 'X', then 1 -> '1';
        // 3 -> '3'; i = 3 is delta-coded: 36 - counts[1] = 36 - 40 = -4; -4 & 31 = 28 (0b11100),
        // -4 >> 5 = -1 and bit 0x10 is set -> stop: 28+48 = 76 'L'.
        assertEquals("2X13L", new CocoRle(9, 9, new long[] {2, 40, 3, 36}).toCompressedString());
        // [1, 50, 2, 10] (7x9 = 63): 1 -> '1'; 50 = 0b1_10010: 18 has 0x10 set, rest 1 != -1 ->
        // 18|32+48
        // = 98 'b', then 1 -> '1'; 2 -> '2'; 10 - 50 = -40: -40 & 31 = 24 (0b11000), -40 >> 5 = -2
        // !=
        // -1 -> 24|32+48 = 104 'h'; -2 & 31 = 30 (0b11110), -2 >> 5 = -1, 0x10 set -> 30+48 = 78
        // 'N'.
        assertEquals("1b12hN", new CocoRle(7, 9, new long[] {1, 50, 2, 10}).toCompressedString());
    }

    @Test
    void handStringsParseBack() {
        assertArrayEquals(
                new long[] {2, 40, 3, 36}, CocoRle.fromCompressedString(9, 9, "2X13L").counts());
        assertArrayEquals(
                new long[] {1, 50, 2, 10}, CocoRle.fromCompressedString(7, 9, "1b12hN").counts());
        assertArrayEquals(new long[] {16, 4}, CocoRle.fromCompressedString(4, 5, "`04").counts());
        assertArrayEquals(new long[] {1000}, CocoRle.fromCompressedString(10, 100, "Xo0").counts());
    }

    @Test
    void randomMasksRoundTrip() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int h = 1 + rnd.nextInt(40);
            int w = 1 + rnd.nextInt(40);
            BinaryMask m = random(rnd, h, w, rnd.nextDouble());
            CocoRle rle = CocoRle.encode(m);
            assertEquals(m, rle.decode());
            long sum = 0;
            for (long c : rle.counts()) {
                sum += c;
            }
            assertEquals((long) h * w, sum);
            assertEquals(m.area(), rle.area());
            String s = rle.toCompressedString();
            assertTrue(s.chars().allMatch(c -> c >= '0' && c <= 'o'), s);
            assertEquals(rle, CocoRle.fromCompressedString(h, w, s));
        }
    }

    @Test
    void largeCountsAndLargeDeltasRoundTrip() {
        long[] counts = {5_000_000, 3, 1, 4_999_990, 6}; // sums to 2000 * 5000
        CocoRle rle = new CocoRle(2000, 5000, counts);
        assertEquals(rle, CocoRle.fromCompressedString(2000, 5000, rle.toCompressedString()));
    }

    @Test
    void malformedCountsAreRejectedWithReasons() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new CocoRle(2, 2, new long[] {1, -1, 4}));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class, () -> new CocoRle(2, 2, new long[] {1, 2}));
        assertTrue(
                e.getMessage().contains("sum to 3") && e.getMessage().contains("4 pixels"),
                e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new CocoRle(2, 2, new long[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("exceed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CocoRle(0, 2, new long[] {}));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }

    @Test
    void malformedStringsAreRejectedWithReasons() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoRle.fromCompressedString(2, 2, "1 21"));
        assertTrue(e.getMessage().contains("' ' at 1"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoRle.fromCompressedString(2, 2, "12p"));
        assertTrue(e.getMessage().contains("'p' at 2"), e.getMessage());
        // 'X' = 40: continuation bit set and nothing follows
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoRle.fromCompressedString(2, 2, "X"));
        assertTrue(e.getMessage().contains("ends inside"), e.getMessage());
        // "111K": 'K' = 27 = 0b11011, sign bit set -> -5; index 3 adds counts[1] = 1 -> -4
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoRle.fromCompressedString(2, 2, "111K"));
        assertTrue(e.getMessage().contains("negative count -4 at index 3"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoRle.fromCompressedString(2, 2, "14"));
        assertTrue(e.getMessage().contains("exceed"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoRle.fromCompressedString(3, 3, "12"));
        assertTrue(e.getMessage().contains("sum to 3"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoRle.fromCompressedString(3, 3, "ooooooooooooo0"));
        assertTrue(e.getMessage().contains("more than 12 groups"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoRle.fromCompressedString(3, -1, "9"));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }

    @Test
    void countsAreCopiedAndComparedByValue() {
        long[] counts = {1, 2, 1};
        CocoRle a = new CocoRle(2, 2, counts);
        counts[0] = 99;
        assertEquals(new CocoRle(2, 2, new long[] {1, 2, 1}), a);
        assertEquals(new CocoRle(2, 2, new long[] {1, 2, 1}).hashCode(), a.hashCode());
        a.counts()[0] = 42;
        assertArrayEquals(new long[] {1, 2, 1}, a.counts());
    }
}
