package eagle.ingest.validate;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A check that PNG bytes decode, cheaper than a full javax.imageio decode and never more lenient:
 * it answers "decodes" only where javax.imageio's PNG reader (as the validator calls it: metadata
 * ignored) is certain to decode the image, and "not certain" otherwise, and then the validator
 * decodes with javax.imageio, whose verdict stands. So no image is accepted that javax.imageio
 * would refuse, and every refusal is still javax.imageio's.
 *
 * <p>"Decodes" means: a valid signature and {@code IHDR} (the reader's own checks on size, bit
 * depth, colour type, compression, filter and interlace method), a colour type other than indexed
 * (whose reader parses every chunk), no {@code tRNS} chunk before the image data, every chunk
 * before and among the image data whole, and the consecutive {@code IDAT} chunks holding one zlib
 * stream that inflates without error, ends, and yields exactly the bytes the image's rows need
 * (every pass of an interlaced image), each row starting with a filter type from 0 to 4. What the
 * reader does with those bytes (un-filtering, copying into a raster) cannot fail. Chunk CRCs are
 * not checked, as the reader does not check them either.
 *
 * <p>The image data is inflated, which is most of a full decode's necessary work, without
 * allocating the image, the reader or its streams. One instance per thread (it keeps an inflater
 * and a buffer).
 */
final class PngCheck {

    /** A PNG's size as its {@code IHDR} gives it. */
    record Header(int width, int height, int bitDepth, int colorType, int interlace) {}

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int IHDR = 0x49484452;
    private static final int IDAT = 0x49444154;
    private static final int TRNS = 0x74524e53;
    private static final int[] BANDS = {1, -1, 3, 1, 2, -1, 4};

    /** Adam7: the column and row step of each pass (and an eighth entry, 1, for the formulas). */
    private static final int[] X_STEP = {8, 8, 4, 4, 2, 2, 1, 1};

    private static final int[] Y_STEP = {8, 8, 8, 4, 4, 2, 2, 1};

    private final Inflater inflater = new Inflater();
    private final byte[] buffer = new byte[32 * 1024];

    /**
     * The header, when the bytes start with a PNG signature and an {@code IHDR} that javax.imageio
     * accepts; else null.
     */
    static Header header(byte[] b) {
        if (b.length < 33
                || !Arrays.equals(b, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)
                || int32(b, 8) != 13
                || int32(b, 12) != IHDR) {
            return null;
        }
        int width = int32(b, 16);
        int height = int32(b, 20);
        int bitDepth = b[24] & 0xff;
        int colorType = b[25] & 0xff;
        int compression = b[26] & 0xff;
        int filter = b[27] & 0xff;
        int interlace = b[28] & 0xff;
        boolean depthOk =
                bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
        boolean typeOk =
                colorType == 0
                        || colorType == 2
                        || colorType == 3
                        || colorType == 4
                        || colorType == 6;
        if (width <= 0 || height <= 0 || !depthOk || !typeOk) {
            return null;
        }
        if ((colorType == 3 && bitDepth == 16)
                || ((colorType == 2 || colorType == 4 || colorType == 6)
                        && bitDepth != 8
                        && bitDepth != 16)) {
            return null;
        }
        if (compression != 0 || filter != 0 || (interlace != 0 && interlace != 1)) {
            return null;
        }
        return new Header(width, height, bitDepth, colorType, interlace);
    }

    /**
     * Whether javax.imageio certainly decodes the image {@code header} (from {@link #header}) heads
     * (see the class doc); false = not certain.
     */
    boolean decodes(byte[] b, Header header) {
        if (header.colorType() == 3
                || (long) header.width() * header.height() > Integer.MAX_VALUE - 2) {
            return false;
        }
        int p = 33;
        // the chunks before the image data: whole, and no tRNS (the reader parses that one)
        while (true) {
            if (p + 8 > b.length) {
                return false;
            }
            int length = int32(b, p);
            int type = int32(b, p + 4);
            if (length < 0 || (long) p + 12 + length > b.length) {
                return false;
            }
            if (type == IDAT) {
                break;
            }
            if (type == TRNS) {
                return false;
            }
            p += 12 + length;
        }
        long[] rows = rowSizes(header);
        if (rows == null) {
            return false;
        }
        inflater.reset();
        try {
            return inflates(b, p, rows);
        } catch (DataFormatException e) {
            return false;
        } finally {
            inflater.reset();
        }
    }

    /**
     * Inflates the consecutive IDAT chunks from {@code p}: exactly the rows' bytes, each row's
     * filter type 0–4, and the stream's end.
     */
    private boolean inflates(byte[] b, int p, long[] rows) throws DataFormatException {
        // rows: per pass, {number of rows, bytes per row including the filter byte}
        int pass = 0;
        long rowsLeft = rows[0];
        long nextRow = 0; // stream offset of the next row's filter byte
        long expected = 0;
        for (int i = 0; i < rows.length; i += 2) {
            expected += rows[i] * rows[i + 1];
        }
        long produced = 0;
        int idle = 0;
        while (true) {
            if (inflater.finished()) {
                return produced == expected;
            }
            if (inflater.needsInput()) {
                // the next chunk must be a whole IDAT
                if (p + 12 > b.length || int32(b, p + 4) != IDAT) {
                    return false;
                }
                int length = int32(b, p);
                if (length < 0 || (long) p + 12 + length > b.length) {
                    return false;
                }
                inflater.setInput(b, p + 8, length);
                p += 12 + length;
                continue;
            }
            int n = inflater.inflate(buffer);
            if (n == 0) {
                if (inflater.finished()) {
                    continue;
                }
                if (inflater.needsDictionary() || ++idle > 1) {
                    return false;
                }
                continue;
            }
            idle = 0;
            if (produced + n > expected) {
                return false;
            }
            // the filter type of every row that starts in this piece
            while (pass * 2 < rows.length && nextRow < produced + n) {
                if ((buffer[(int) (nextRow - produced)] & 0xff) > 4) {
                    return false;
                }
                nextRow += rows[pass * 2 + 1];
                if (--rowsLeft == 0) {
                    pass++;
                    rowsLeft = pass * 2 < rows.length ? rows[pass * 2] : 0;
                }
            }
            produced += n;
        }
    }

    /**
     * Per non-empty pass, {rows, 1 + bytes per row}, as the reader reads them; null if a row's bit
     * count overflows an int (the reader refuses that).
     */
    private static long[] rowSizes(Header h) {
        int bands = BANDS[h.colorType()];
        if (h.interlace() == 0) {
            long bits = (long) bands * h.bitDepth() * h.width();
            return bits > Integer.MAX_VALUE - 7
                    ? null
                    : new long[] {h.height(), 1 + (bits + 7) / 8};
        }
        long[] out = new long[14];
        int used = 0;
        for (int i = 0; i < 7; i++) {
            int width = (h.width() + X_STEP[i + 1] - 1) / X_STEP[i];
            int height = (h.height() + Y_STEP[i + 1] - 1) / Y_STEP[i];
            if (width == 0 || height == 0) {
                continue;
            }
            long bits = (long) bands * h.bitDepth() * width;
            if (bits > Integer.MAX_VALUE - 7) {
                return null;
            }
            out[used++] = height;
            out[used++] = 1 + (bits + 7) / 8;
        }
        return Arrays.copyOf(out, used);
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24)
                | ((b[at + 1] & 0xff) << 16)
                | ((b[at + 2] & 0xff) << 8)
                | (b[at + 3] & 0xff);
    }
}
