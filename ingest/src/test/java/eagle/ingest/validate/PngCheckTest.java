package eagle.ingest.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link PngCheck} says "decodes" only for bytes javax.imageio decodes (read as the validator reads
 * them), with the same size: real encodings of every kind, thousands of truncations and byte flips
 * of them, and hand-made streams with a bad filter type, missing or extra rows, a tRNS chunk.
 */
class PngCheckTest {

    private final PngCheck check = new PngCheck();

    /** {height, width} when javax.imageio's PNG reader decodes the bytes in full, else null. */
    private static int[] imageIo(byte[] bytes) {
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            try {
                reader.setInput(in, true, true);
                BufferedImage image = reader.read(0);
                return new int[] {image.getHeight(), image.getWidth()};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The check's verdict: {height, width} when it is certain the bytes decode, else null. */
    private int[] checked(byte[] bytes) {
        PngCheck.Header header = PngCheck.header(bytes);
        return header != null && check.decodes(bytes, header)
                ? new int[] {header.height(), header.width()}
                : null;
    }

    private static byte[] encode(BufferedImage image, boolean interlaced) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(
                interlaced ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static List<byte[]> realEncodings() throws IOException {
        int[] types = {
            BufferedImage.TYPE_BYTE_GRAY,
            BufferedImage.TYPE_USHORT_GRAY,
            BufferedImage.TYPE_INT_RGB,
            BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_3BYTE_BGR,
            BufferedImage.TYPE_BYTE_BINARY,
            BufferedImage.TYPE_BYTE_INDEXED
        };
        int[][] sizes = {{1, 1}, {5, 3}, {2, 9}, {17, 13}, {64, 64}};
        SplittableRandom random = new SplittableRandom(7);
        List<byte[]> out = new ArrayList<>();
        for (int type : types) {
            for (int[] size : sizes) {
                BufferedImage image = new BufferedImage(size[1], size[0], type);
                for (int y = 0; y < size[0]; y++) {
                    for (int x = 0; x < size[1]; x++) {
                        image.setRGB(x, y, random.nextInt());
                    }
                }
                out.add(encode(image, false));
                out.add(encode(image, true));
            }
        }
        return out;
    }

    @Test
    void realEncodingsDecodeWithTheirSizeAndIndexedOnesAreLeftToImageIo() throws IOException {
        int certain = 0;
        for (byte[] png : realEncodings()) {
            int[] expected = imageIo(png);
            assertNotNull(expected);
            PngCheck.Header header = PngCheck.header(png);
            assertNotNull(header);
            assertEquals(expected[0], header.height());
            assertEquals(expected[1], header.width());
            if (header.colorType() == 3) {
                assertFalse(check.decodes(png, header));
            } else {
                assertTrue(
                        check.decodes(png, header),
                        "a real encoding, colour type "
                                + header.colorType()
                                + ", interlace "
                                + header.interlace());
                certain++;
            }
        }
        assertTrue(certain >= 50, "certain for " + certain);
    }

    @Test
    void neverCertainWhereImageIoRefusesTruncationsAndFlips() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        int mutants = 0;
        int refusedByImageIo = 0;
        for (byte[] png : realEncodings()) {
            List<byte[]> variants = new ArrayList<>();
            for (int cut = 0; cut < png.length; cut += Math.max(1, png.length / 40)) {
                variants.add(Arrays.copyOf(png, cut));
            }
            for (int i = 0; i < 40; i++) {
                byte[] flipped = png.clone();
                int at = random.nextInt(png.length);
                flipped[at] ^= (byte) (1 + random.nextInt(255));
                variants.add(flipped);
            }
            for (byte[] variant : variants) {
                mutants++;
                int[] truth = imageIo(variant);
                if (truth == null) {
                    refusedByImageIo++;
                }
                int[] verdict = checked(variant);
                if (verdict != null) {
                    assertNotNull(truth, "certain, but javax.imageio refuses it");
                    assertEquals(truth[0], verdict[0]);
                    assertEquals(truth[1], verdict[1]);
                }
            }
        }
        assertTrue(refusedByImageIo > mutants / 4, refusedByImageIo + " of " + mutants);
    }

    /** A grey 8-bit PNG of {@code rows} raw rows (each: filter byte, then the row's bytes). */
    private static byte[] png(int width, int height, byte[] raw, byte[]... extraChunksFirst)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(width);
        d.writeInt(height);
        d.write(new byte[] {8, 0, 0, 0, 0});
        out.write(chunk("IHDR", ihdr.toByteArray()));
        for (byte[] extra : extraChunksFirst) {
            out.write(extra);
        }
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] buffer = new byte[raw.length + 64];
        int n = deflater.deflate(buffer);
        deflater.end();
        // two IDAT chunks: the stream split across them
        out.write(chunk("IDAT", Arrays.copyOf(buffer, n / 2)));
        out.write(chunk("IDAT", Arrays.copyOfRange(buffer, n / 2, n)));
        out.write(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] chunk(String type, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        d.writeBytes(type);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(type.getBytes());
        crc.update(data);
        d.writeInt((int) crc.getValue());
        return out.toByteArray();
    }

    private static byte[] rows(int width, int height, int filter) {
        byte[] raw = new byte[height * (width + 1)];
        for (int y = 0; y < height; y++) {
            raw[y * (width + 1)] = (byte) filter;
            for (int x = 0; x < width; x++) {
                raw[y * (width + 1) + 1 + x] = (byte) (x * 7 + y);
            }
        }
        return raw;
    }

    @Test
    void handMadeStreams() throws IOException {
        for (int filter = 0; filter <= 4; filter++) {
            byte[] good = png(6, 4, rows(6, 4, filter));
            assertNotNull(imageIo(good));
            assertNotNull(checked(good), "filter " + filter);
        }
        // a filter type javax.imageio does not know: refused by both
        byte[] badFilter = png(6, 4, rows(6, 4, 5));
        assertEquals(null, imageIo(badFilter));
        assertEquals(null, checked(badFilter));
        // one row short: refused by both
        byte[] shortRows = png(6, 4, Arrays.copyOf(rows(6, 4, 0), 3 * 7));
        assertEquals(null, imageIo(shortRows));
        assertEquals(null, checked(shortRows));
        // an extra row: javax.imageio ignores it, the check is not certain (javax.imageio decides)
        byte[] extraRow = png(6, 4, rows(6, 5, 0));
        assertNotNull(imageIo(extraRow));
        assertEquals(null, checked(extraRow));
        // a tRNS chunk before the data: left to javax.imageio
        byte[] trns = png(6, 4, rows(6, 4, 0), chunk("tRNS", new byte[] {0, 1}));
        assertNotNull(imageIo(trns));
        assertEquals(null, checked(trns));
        // another ancillary chunk, even a malformed one, is skipped by both
        byte[] text = png(6, 4, rows(6, 4, 0), chunk("tEXt", new byte[] {1, 2, 3}));
        assertNotNull(imageIo(text));
        assertNotNull(checked(text));
    }
}
