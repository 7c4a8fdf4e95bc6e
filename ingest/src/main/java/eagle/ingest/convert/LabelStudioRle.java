package eagle.ingest.convert;

import eagle.core.mask.BinaryMask;

/**
 * Label Studio's brush RLE ({@code value.rle} of a {@code brushlabels} result): a bit stream, most
 * significant bit first, over the flattened RGBA image (height × width × 4 bytes, row-major):
 *
 * <pre>
 *   header: n (32 bits) | wordSize − 1 (5 bits) | 4 × (runSize_k − 1) (4 bits each)
 *   blocks until n values: repeat (1 bit) | k (2 bits) | length − 1 (runSize_k bits)
 *          | repeat ? one value (wordSize bits) : length values (wordSize bits each)
 * </pre>
 *
 * The mask is the alpha channel being non-zero.
 */
public final class LabelStudioRle {

    private static final int[] RUN_SIZES = {3, 4, 8, 16};
    private static final int WORD_SIZE = 8;

    private LabelStudioRle() {}

    /** The decoded values (n of them). */
    public static int[] decode(int[] rle) {
        BitReader in = new BitReader(rle);
        long n = in.read(32);
        int wordSize = (int) in.read(5) + 1;
        int[] runSizes = new int[4];
        for (int k = 0; k < 4; k++) {
            runSizes[k] = (int) in.read(4) + 1;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("brush RLE declares " + n + " values");
        }
        int[] out = new int[(int) n];
        int i = 0;
        while (i < n) {
            boolean repeat = in.read(1) == 1;
            int size = runSizes[(int) in.read(2)];
            long j = i + 1 + in.read(size);
            if (j > n) {
                throw new IllegalArgumentException(
                        "brush RLE run ends at " + j + " beyond " + n + " values");
            }
            if (repeat) {
                int v = (int) in.read(wordSize);
                for (; i < j; i++) {
                    out[i] = v;
                }
            } else {
                for (; i < j; i++) {
                    out[i] = (int) in.read(wordSize);
                }
            }
        }
        return out;
    }

    /** The mask of an RGBA brush: alpha (every 4th value, offset 3) non-zero. */
    public static BinaryMask toMask(int[] rle, int height, int width) {
        int[] rgba = decode(rle);
        if (rgba.length != height * width * 4) {
            throw new IllegalArgumentException(
                    "brush RLE has "
                            + rgba.length
                            + " values, expected "
                            + height
                            + "×"
                            + width
                            + "×4 = "
                            + (height * width * 4));
        }
        boolean[] pixels = new boolean[height * width];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = rgba[4 * p + 3] != 0;
        }
        return BinaryMask.of(height, width, pixels);
    }

    /**
     * Encodes values 0..255 in the format above (runs of ≥ 2 equal values as repeats, the rest as
     * literals).
     */
    public static int[] encode(int[] values) {
        BitWriter out = new BitWriter();
        out.write(values.length, 32);
        out.write(WORD_SIZE - 1, 5);
        for (int s : RUN_SIZES) {
            out.write(s - 1, 4);
        }
        int max = 1 << RUN_SIZES[3];
        int i = 0;
        while (i < values.length) {
            int j = i + 1;
            while (j < values.length && values[j] == values[i] && j - i < max) {
                j++;
            }
            if (j - i >= 2) {
                block(out, true, j - i);
                out.write(values[i], WORD_SIZE);
            } else {
                j = i + 1;
                while (j < values.length
                        && j - i < max
                        && (j + 1 >= values.length || values[j + 1] != values[j])) {
                    j++;
                }
                block(out, false, j - i);
                for (int k = i; k < j; k++) {
                    out.write(values[k], WORD_SIZE);
                }
            }
            i = j;
        }
        return out.bytes();
    }

    /** RGBA values of a mask as Label Studio draws it: 255 in all four channels where set. */
    public static int[] encode(BinaryMask mask) {
        int[] rgba = new int[mask.height() * mask.width() * 4];
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                if (mask.get(y, x)) {
                    java.util.Arrays.fill(
                            rgba, 4 * (y * mask.width() + x), 4 * (y * mask.width() + x) + 4, 255);
                }
            }
        }
        return encode(rgba);
    }

    private static void block(BitWriter out, boolean repeat, int length) {
        int k = 0;
        while ((length - 1) >= (1 << RUN_SIZES[k])) {
            k++;
        }
        out.write(repeat ? 1 : 0, 1);
        out.write(k, 2);
        out.write(length - 1, RUN_SIZES[k]);
    }

    private static final class BitReader {
        private final int[] bytes;
        private long position;

        BitReader(int[] bytes) {
            this.bytes = bytes;
        }

        long read(int bits) {
            long v = 0;
            for (int b = 0; b < bits; b++, position++) {
                int index = (int) (position >>> 3);
                if (index >= bytes.length) {
                    throw new IllegalArgumentException("brush RLE ends early at bit " + position);
                }
                v = (v << 1) | ((bytes[index] >>> (7 - (position & 7))) & 1);
            }
            return v;
        }
    }

    private static final class BitWriter {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private int current;
        private int used;

        void write(long value, int bits) {
            for (int b = bits - 1; b >= 0; b--) {
                current = (current << 1) | (int) ((value >>> b) & 1);
                if (++used == 8) {
                    out.write(current);
                    current = 0;
                    used = 0;
                }
            }
        }

        int[] bytes() {
            byte[] raw = out.toByteArray();
            int[] result = new int[raw.length + (used > 0 ? 1 : 0)];
            for (int i = 0; i < raw.length; i++) {
                result[i] = raw[i] & 0xff;
            }
            if (used > 0) {
                result[raw.length] = (current << (8 - used)) & 0xff;
            }
            return result;
        }
    }
}
