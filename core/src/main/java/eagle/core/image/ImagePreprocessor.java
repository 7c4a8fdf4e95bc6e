package eagle.core.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.List;

/**
 * CLIP's image preprocessing (docs/METHOD.md §1), for a square input of side S:
 *
 * <ol>
 *   <li>resize so the shorter side is S: a w×h image becomes {@code round(w·S/min(w,h))} × {@code
 *       round(h·S/min(w,h))} (round half up) with a separable bicubic filter (a = −0.5, widened by
 *       the shrink factor when shrinking, as PIL's {@code Image.resize(BICUBIC)} does), computed in
 *       floating point; no resampling when the size does not change;
 *   <li>centre crop S×S at offset {@code (floor((resizedWidth−S)/2), floor((resizedHeight−S)/2))};
 *   <li>scale to [0, 1] by /255 and normalise channel c as {@code (v − mean_c) / std_c} with CLIP's
 *       {@link #MEAN} and {@link #STD};
 *   <li>lay out as (3, S, S), channels R, G, B, rows top to bottom.
 * </ol>
 *
 * Alpha is ignored; a one-band (grey) image is read as R = G = B = its sample values.
 */
public final class ImagePreprocessor {

    /** CLIP's per-channel mean (R, G, B). */
    public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

    /** CLIP's per-channel standard deviation (R, G, B). */
    public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final int size;

    /**
     * How a w×h image is mapped onto the S×S input, so that masks can follow the same resize and
     * crop.
     *
     * <p>{@code resizedWidth = round(w·S/min(w,h))}, {@code resizedHeight = round(h·S/min(w,h))},
     * {@code offsetX = floor((resizedWidth − S)/2)}, {@code offsetY = floor((resizedHeight −
     * S)/2)}, {@code scale = S/min(w,h)}. In continuous pixel coordinates (pixel i spans [i, i+1)),
     * input point (u, v) of the crop comes from source point {@code ((u + offsetX)·w/resizedWidth,
     * (v + offsetY)·h/resizedHeight)}; the two axis factors equal {@code 1/scale} up to the
     * rounding of the resized size.
     *
     * @param scale S / min(w, h)
     * @param offsetX left edge of the crop in the resized image
     * @param offsetY top edge of the crop in the resized image
     * @param resizedWidth width after the resize
     * @param resizedHeight height after the resize
     * @param size S
     */
    public record CropGeometry(
            double scale, int offsetX, int offsetY, int resizedWidth, int resizedHeight, int size) {

        /**
         * The geometry of a {@code width}×{@code height} image cropped to {@code size}.
         *
         * @throws IllegalArgumentException for a non-positive dimension
         */
        public static CropGeometry of(int width, int height, int size) {
            if (width <= 0 || height <= 0 || size <= 0) {
                throw new IllegalArgumentException(
                        "image "
                                + width
                                + "x"
                                + height
                                + " and size "
                                + size
                                + " must be positive");
            }
            int shortest = Math.min(width, height);
            int resizedWidth = (int) Math.round((double) width * size / shortest);
            int resizedHeight = (int) Math.round((double) height * size / shortest);
            return new CropGeometry(
                    (double) size / shortest,
                    Math.floorDiv(resizedWidth - size, 2),
                    Math.floorDiv(resizedHeight - size, 2),
                    resizedWidth,
                    resizedHeight,
                    size);
        }
    }

    /**
     * @param size S, the side of the model's square input
     */
    public ImagePreprocessor(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, was " + size);
        }
        this.size = size;
    }

    /** S. */
    public int size() {
        return size;
    }

    /** The resize and crop this preprocessor applies to a {@code width}×{@code height} image. */
    public CropGeometry geometry(int width, int height) {
        return CropGeometry.of(width, height, size);
    }

    /** One image as normalised (3, S, S) values, row-major. */
    public float[] preprocess(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        CropGeometry g = geometry(w, h);
        float[][] channels = readChannels(image); // 3 × (h·w), 0..255
        float[] out = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            float[] resized = resize(channels[c], w, h, g.resizedWidth(), g.resizedHeight());
            for (int y = 0; y < size; y++) {
                int row = (y + g.offsetY()) * g.resizedWidth() + g.offsetX();
                for (int x = 0; x < size; x++) {
                    out[(c * size + y) * size + x] = (resized[row + x] / 255f - MEAN[c]) / STD[c];
                }
            }
        }
        return out;
    }

    /** A batch (B, 3, S, S) of normalised float32 images in {@code manager}. */
    public NDArray batch(List<BufferedImage> images, NDManager manager) {
        int plane = 3 * size * size;
        float[] data = new float[images.size() * plane];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(preprocess(images.get(i)), 0, data, i * plane, plane);
        }
        return manager.create(data, new Shape(images.size(), 3, size, size));
    }

    private static float[][] readChannels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[][] channels = new float[3][w * h];
        Raster raster = image.getRaster();
        if (raster.getNumBands() == 1 && raster.getSampleModel().getSampleSize(0) == 8) {
            int[] grey = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < grey.length; i++) {
                channels[0][i] = grey[i];
                channels[1][i] = grey[i];
                channels[2][i] = grey[i];
            }
            return channels;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            channels[0][i] = (argb[i] >> 16) & 0xFF;
            channels[1][i] = (argb[i] >> 8) & 0xFF;
            channels[2][i] = argb[i] & 0xFF;
        }
        return channels;
    }

    /**
     * Separable bicubic resize of one h×w plane (row-major) to outH×outW: along rows, then columns.
     */
    static float[] resize(float[] plane, int w, int h, int outW, int outH) {
        float[] horizontal = w == outW ? plane : resizeAxis(plane, h, w, outW, true); // (h, outW)
        return h == outH
                ? horizontal
                : resizeAxis(horizontal, outW, h, outH, false); // (outH, outW)
    }

    /**
     * Resamples every line of a plane along one axis from {@code inSize} to {@code outSize}
     * samples. Along rows the plane is (lines, inSize) and the result (lines, outSize); along
     * columns the plane is (inSize, lines) and the result (outSize, lines).
     */
    private static float[] resizeAxis(
            float[] plane, int lines, int inSize, int outSize, boolean alongRows) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 2.0 * filterScale; // bicubic support 2, widened when shrinking
        float[] out = new float[lines * outSize];
        for (int o = 0; o < outSize; o++) {
            double center = (o + 0.5) * scale;
            int first = Math.max((int) Math.floor(center - support + 0.5), 0);
            int last = Math.min((int) Math.floor(center + support + 0.5), inSize); // exclusive
            double[] weights = new double[last - first];
            double total = 0;
            for (int i = first; i < last; i++) {
                weights[i - first] = cubic((i - center + 0.5) / filterScale);
                total += weights[i - first];
            }
            for (int line = 0; line < lines; line++) {
                double sum = 0;
                for (int i = first; i < last; i++) {
                    float v = alongRows ? plane[line * inSize + i] : plane[i * lines + line];
                    sum += weights[i - first] * v;
                }
                float value = (float) Math.min(255.0, Math.max(0.0, sum / total));
                if (alongRows) {
                    out[line * outSize + o] = value;
                } else {
                    out[o * lines + line] = value;
                }
            }
        }
        return out;
    }

    /** Keys' cubic convolution kernel with a = −0.5. */
    private static double cubic(double x) {
        double a = -0.5;
        double t = Math.abs(x);
        if (t < 1) {
            return ((a + 2) * t - (a + 3)) * t * t + 1;
        }
        if (t < 2) {
            return (((t - 5) * t + 8) * t - 4) * a;
        }
        return 0;
    }
}
