package eagle.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private static float normalised(double value, int channel) {
        return (float) ((value / 255.0 - MEAN[channel]) / STD[channel]);
    }

    @Test
    void cropGeometryFollowsTheDocumentedFormula() {
        assertEquals(
                new ImagePreprocessor.CropGeometry(1.28, 32, 0, 128, 64, 64),
                ImagePreprocessor.CropGeometry.of(100, 50, 64));
        assertEquals(
                new ImagePreprocessor.CropGeometry(64.0 / 50, 0, 16, 64, 96, 64),
                ImagePreprocessor.CropGeometry.of(50, 75, 64));
        // 10 × 3 to 4: width round(13.33) = 13, offset floor(9 / 2) = 4
        assertEquals(
                new ImagePreprocessor.CropGeometry(4.0 / 3, 4, 0, 13, 4, 4),
                ImagePreprocessor.CropGeometry.of(10, 3, 4));
        // odd excess floors: 65 × 64 to 64 keeps 65 columns and starts at column 0
        assertEquals(0, new ImagePreprocessor(64).geometry(65, 64).offsetX());
        assertThrows(
                IllegalArgumentException.class, () -> ImagePreprocessor.CropGeometry.of(0, 5, 4));
    }

    @Test
    void unscaledImageIsCentreCroppedAndNormalisedPixelByPixel() {
        BufferedImage image = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        float[] out = new ImagePreprocessor(4).preprocess(image); // crop columns 1..4
        assertEquals(3 * 4 * 4, out.length);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    int rgb = image.getRGB(x + 1, y);
                    int value = (rgb >> (16 - 8 * c)) & 0xFF;
                    assertEquals(
                            normalised(value, c),
                            out[(c * 4 + y) * 4 + x],
                            1e-6,
                            c + "," + y + "," + x);
                }
            }
        }
    }

    @Test
    void constantImageStaysConstantThroughTheResize() {
        BufferedImage image = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                image.setRGB(x, y, (200 << 16) | (100 << 8) | 50);
            }
        }
        float[] out = new ImagePreprocessor(8).preprocess(image);
        int[] rgb = {200, 100, 50};
        for (int i = 0; i < out.length; i++) {
            assertEquals(normalised(rgb[i / 64], i / 64), out[i], 1e-5, "index " + i);
        }
    }

    /**
     * A 4×2 image with columns 0, 0, 255, 255 doubled to 8×4 and cropped at column 2: crop column 1
     * is resized column 3, centre 1.75 in the source, bicubic (a = −0.5) weights at distances 1.25,
     * 0.25, 0.75, 1.75 are −0.0703125, 0.8671875, 0.2265625, −0.0234375, so the value is 255 ·
     * 0.203125; crop column 2 mirrors it, 255 · 0.796875.
     */
    @Test
    void upscaleMatchesHandComputedBicubicWeights() {
        BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 2; x < 4; x++) {
                image.setRGB(x, y, 0xFFFFFF);
            }
        }
        float[] out = new ImagePreprocessor(4).preprocess(image);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                assertEquals(normalised(0, c), out[(c * 4 + y) * 4], 1e-5);
                assertEquals(normalised(255 * 0.203125, c), out[(c * 4 + y) * 4 + 1], 1e-5);
                assertEquals(normalised(255 * 0.796875, c), out[(c * 4 + y) * 4 + 2], 1e-5);
                assertEquals(normalised(255, c), out[(c * 4 + y) * 4 + 3], 1e-5);
            }
        }
    }

    @Test
    void greyImagesFillEveryChannelAndBatchesStackInOrder() {
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 2, 0, 100);
        BufferedImage red = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        red.setRGB(0, 0, 0x80FF0000);
        ImagePreprocessor preprocessor = new ImagePreprocessor(4);
        float[] g = preprocessor.preprocess(grey);
        for (int c = 0; c < 3; c++) {
            assertEquals(normalised(100, c), g[(c * 4 + 2) * 4 + 1], 1e-6);
            assertEquals(normalised(0, c), g[(c * 4) * 4], 1e-6);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = preprocessor.batch(List.of(grey, red), manager);
            assertEquals(new Shape(2, 3, 4, 4), batch.getShape());
            float[] values = batch.toFloatArray();
            assertArrayEquals(g, java.util.Arrays.copyOf(values, 48));
            assertEquals(normalised(255, 0), values[48], 1e-6, "alpha ignored");
            assertEquals(normalised(0, 1), values[48 + 16], 1e-6);
        }
    }
}
