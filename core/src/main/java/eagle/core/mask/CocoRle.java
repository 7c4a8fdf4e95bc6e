package eagle.core.mask;

import java.util.Arrays;

/**
 * COCO run-length encoding of a binary mask: the pixels are read column-major (down the first
 * column, then the second, ...) and {@code counts} are the lengths of alternating runs, the first
 * run counting zeros (so a mask whose pixel (0, 0) is set starts with a count of 0). The counts sum
 * to {@code height * width}. This is the "counts list" form of COCO's {@code segmentation} field;
 * the compressed string form is {@link #toCompressedString()}.
 *
 * <p>Compressed strings follow pycocotools' {@code rleToString}/{@code rleFrString} (maskApi.c)
 * byte for byte: each count x (for index i ≥ 3, the difference {@code counts[i] - counts[i-2]},
 * which can be negative) is written as little-endian groups of 5 bits; a group is emitted as {@code
 * 48 + (bits | 0x20 if more groups follow)}; writing stops when the remaining value is 0 and the
 * last group's bit 0x10 is clear, or the remaining value is −1 (all ones, arithmetic shift) and bit
 * 0x10 is set — bit 0x10 of the last group is the sign. Characters are therefore in {@code
 * '0'..'o'} (48..111).
 *
 * @param height mask height in pixels (> 0)
 * @param width mask width in pixels (> 0)
 * @param counts run lengths, column-major, first run zeros; every count ≥ 0 and their sum is {@code
 *     height * width} (a zero count is allowed anywhere, as pycocotools allows it)
 */
public record CocoRle(int height, int width, long[] counts) {

    private static final int FIRST_CHAR = 48;
    private static final int LAST_CHAR = FIRST_CHAR + 63;

    /**
     * At most this many 5-bit groups per value: 60 bits, more than any count of a Java-sized mask.
     */
    private static final int MAX_GROUPS = 12;

    /**
     * Validates and copies the counts.
     *
     * @throws IllegalArgumentException for a non-positive size, a negative count or counts that do
     *     not sum to {@code height * width}
     */
    public CocoRle {
        long total = BinaryMask.checkedArea(height, width);
        if (counts == null) {
            throw new IllegalArgumentException("RLE counts are null");
        }
        counts = counts.clone();
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("RLE count " + i + " is negative: " + counts[i]);
            }
            sum += counts[i];
            if (sum > total) {
                throw new IllegalArgumentException(
                        "RLE counts exceed "
                                + height
                                + "x"
                                + width
                                + " = "
                                + total
                                + " pixels by count "
                                + i);
            }
        }
        if (sum != total) {
            throw new IllegalArgumentException(
                    "RLE counts sum to "
                            + sum
                            + " but the mask "
                            + height
                            + "x"
                            + width
                            + " has "
                            + total
                            + " pixels");
        }
    }

    /** A copy of the run lengths. */
    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** Encodes a mask column-major; the last run is always written, as pycocotools does. */
    public static CocoRle encode(BinaryMask m) {
        int h = m.height();
        int w = m.width();
        long[] runs = new long[16];
        int k = 0;
        boolean previous = false;
        long run = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                boolean p = m.get(y, x);
                if (p != previous) {
                    if (k == runs.length) {
                        runs = Arrays.copyOf(runs, 2 * k);
                    }
                    runs[k++] = run;
                    run = 0;
                    previous = p;
                }
                run++;
            }
        }
        if (k == runs.length) {
            runs = Arrays.copyOf(runs, k + 1);
        }
        runs[k++] = run;
        return new CocoRle(h, w, Arrays.copyOf(runs, k));
    }

    /** The mask these runs describe. */
    public BinaryMask decode() {
        BinaryMask m = BinaryMask.empty(height, width);
        long position = 0; // column-major pixel index
        boolean value = false;
        for (long c : counts) {
            if (value) {
                for (long p = position; p < position + c; p++) {
                    m.set((int) (p % height), (int) (p / height), true);
                }
            }
            position += c;
            value = !value;
        }
        return m;
    }

    /** The number of pixels set (the sum of the odd-indexed runs). */
    public long area() {
        long a = 0;
        for (int i = 1; i < counts.length; i += 2) {
            a += counts[i];
        }
        return a;
    }

    /** pycocotools' compressed string ({@code rleToString}), byte for byte. */
    public String toCompressedString() {
        StringBuilder s = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5; // arithmetic: a negative value tends to -1
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                s.append((char) (c + FIRST_CHAR));
            }
        }
        return s.toString();
    }

    /**
     * Parses pycocotools' compressed string ({@code rleFrString}).
     *
     * @throws IllegalArgumentException for a character outside {@code '0'..'o'}, a string that ends
     *     inside a value, a value longer than 12 groups, or decoded counts that are negative or do
     *     not sum to {@code height * width}
     */
    public static CocoRle fromCompressedString(int height, int width, String s) {
        BinaryMask.checkedArea(height, width);
        if (s == null) {
            throw new IllegalArgumentException("RLE string is null");
        }
        long[] counts = new long[s.length()];
        int m = 0;
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            int start = p;
            while (more) {
                if (p >= s.length()) {
                    throw new IllegalArgumentException(
                            "RLE string ends inside the value that starts at"
                                    + " character "
                                    + start
                                    + " (its last character has the continuation bit)");
                }
                char ch = s.charAt(p);
                if (ch < FIRST_CHAR || ch > LAST_CHAR) {
                    throw new IllegalArgumentException(
                            "RLE string has character '"
                                    + printable(ch)
                                    + "' at "
                                    + p
                                    + "; only '0'..'o' (48..111) are allowed");
                }
                if (k == MAX_GROUPS) {
                    throw new IllegalArgumentException(
                            "RLE string value starting at character "
                                    + start
                                    + " has more than "
                                    + MAX_GROUPS
                                    + " groups");
                }
                int c = ch - FIRST_CHAR;
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k); // sign-extend
                }
            }
            if (m > 2) {
                x += counts[m - 2];
            }
            if (x < 0) {
                throw new IllegalArgumentException(
                        "RLE string decodes to negative count "
                                + x
                                + " at index "
                                + m
                                + " (character "
                                + start
                                + ")");
            }
            counts[m++] = x;
        }
        return new CocoRle(height, width, Arrays.copyOf(counts, m));
    }

    private static String printable(char ch) {
        return ch >= 32 && ch < 127 ? String.valueOf(ch) : String.format("\\u%04x", (int) ch);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CocoRle r
                && r.height == height
                && r.width == width
                && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "CocoRle[" + height + "x" + width + ", counts=" + Arrays.toString(counts) + "]";
    }
}
