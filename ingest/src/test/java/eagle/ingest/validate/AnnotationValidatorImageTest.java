package eagle.ingest.validate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eagle.contracts.AnnotationEvent;
import eagle.contracts.DeadLetter.Reason;
import eagle.ingest.IngestConfig;
import eagle.ingest.blob.FileBlobStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inline images of each kind the validator meets: decoded in full, sized, stored; broken ones
 * rejected.
 */
class AnnotationValidatorImageTest {

    @TempDir Path dir;

    private static byte[] encode(String format, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 37 + y * 11) * 0x010101);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IllegalStateException("no writer for " + format);
        }
        return out.toByteArray();
    }

    private StoredImage resolve(byte[] bytes) throws Rejection {
        FileBlobStore blobs = new FileBlobStore(dir.resolve("blobs"));
        AnnotationValidator validator =
                new AnnotationValidator(
                        IngestConfig.defaults(),
                        new ImageSource(IngestConfig.defaults().fetchTimeout()),
                        blobs);
        return validator.resolveImage(new ParsedAnnotation.InlineImage(bytes, null), null);
    }

    @Test
    void pngJpegGifAndBmpAreDecodedSizedAndStored() throws Exception {
        for (String format : new String[] {"png", "jpeg", "gif", "bmp"}) {
            byte[] bytes = encode(format, 7, 5);
            StoredImage image = resolve(bytes);
            assertEquals(7, image.width(), format);
            assertEquals(5, image.height(), format);
            assertEquals(AnnotationEvent.sha256Hex(bytes), image.sha256(), format);
            assertArrayEquals(
                    bytes, new FileBlobStore(dir.resolve("blobs")).get(image.sha256()), format);
        }
    }

    @Test
    void aKnownSignatureWithABrokenBodyOrNoKnownSignatureIsUndecodable() throws Exception {
        for (String format : new String[] {"png", "jpeg"}) {
            byte[] whole = encode(format, 7, 5);
            byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
            Rejection r = assertThrows(Rejection.class, () -> resolve(truncated), format);
            assertEquals(Reason.IMAGE_UNDECODABLE, r.reason(), format);
        }
        Rejection r =
                assertThrows(Rejection.class, () -> resolve("plain text, no image".getBytes()));
        assertEquals(Reason.IMAGE_UNDECODABLE, r.reason());
    }
}
