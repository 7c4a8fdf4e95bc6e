package eagle.core.mask;

import java.util.Arrays;

/**
 * A binary segmentation mask of {@code height × width} pixels, stored row-major: pixel {@code (y,
 * x)} is element {@code y * width + x}. Pixel {@code (y, x)} covers the square {@code [x, x+1) ×
 * [y, y+1)} of image coordinates, so its centre is {@code (x + 0.5, y + 0.5)} (the COCO
 * convention).
 *
 * <p>The mask is mutable through {@link #set(int, int, boolean)} only while it is being built (by a
 * rasterizer or a decoder); code that receives a mask treats it as a value. Equality is by size and
 * pixels.
 */
public final class BinaryMask {

    private final int height;
    private final int width;
    private final boolean[] pixels; // (height * width), row-major

    private BinaryMask(int height, int width, boolean[] pixels) {
        this.height = height;
        this.width = width;
        this.pixels = pixels;
    }

    /**
     * A mask from row-major pixels (copied).
     *
     * @throws IllegalArgumentException when a side is not positive or the array length is not
     *     {@code height * width}
     */
    public static BinaryMask of(int height, int width, boolean[] rowMajor) {
        long n = checkedArea(height, width);
        if (rowMajor == null) {
            throw new IllegalArgumentException("mask pixels are null");
        }
        if (rowMajor.length != n) {
            throw new IllegalArgumentException(
                    "mask of "
                            + height
                            + "x"
                            + width
                            + " needs "
                            + n
                            + " row-major pixels, got "
                            + rowMajor.length);
        }
        return new BinaryMask(height, width, rowMajor.clone());
    }

    /** An all-zero mask of the given size. */
    public static BinaryMask empty(int height, int width) {
        return new BinaryMask(height, width, new boolean[(int) checkedArea(height, width)]);
    }

    /** The number of pixels {@code height * width}, after checking both sides are positive. */
    static long checkedArea(long height, long width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "mask size must be positive, got height " + height + " and width " + width);
        }
        long n = height * width;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "mask of "
                            + height
                            + "x"
                            + width
                            + " has "
                            + n
                            + " pixels, more than a Java array holds");
        }
        return n;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public boolean get(int y, int x) {
        return pixels[index(y, x)];
    }

    /** Sets pixel {@code (y, x)}; for use while the mask is being built. */
    public void set(int y, int x, boolean v) {
        pixels[index(y, x)] = v;
    }

    private int index(int y, int x) {
        if (y < 0 || y >= height || x < 0 || x >= width) {
            throw new IndexOutOfBoundsException(
                    "pixel (y=" + y + ", x=" + x + ") outside mask of " + height + "x" + width);
        }
        return y * width + x;
    }

    /** The number of pixels set. */
    public int area() {
        int a = 0;
        for (boolean p : pixels) {
            if (p) {
                a++;
            }
        }
        return a;
    }

    /** A copy of the pixels, row-major. */
    public boolean[] toRowMajor() {
        return pixels.clone();
    }

    /**
     * The tight bounding box in COCO order {@code [x, y, width, height]} (pixel units); all zeros
     * for an empty mask, as pycocotools' {@code toBbox} gives.
     */
    public int[] boundingBox() {
        int minX = width;
        int minY = height;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                if (pixels[row + x]) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            return new int[] {0, 0, 0, 0};
        }
        return new int[] {minX, minY, maxX - minX + 1, maxY - minY + 1};
    }

    /**
     * The union of this mask and another of the same size (a new mask).
     *
     * @throws IllegalArgumentException when the sizes differ
     */
    public BinaryMask or(BinaryMask other) {
        if (other.height != height || other.width != width) {
            throw new IllegalArgumentException(
                    "cannot combine a "
                            + height
                            + "x"
                            + width
                            + " mask with a "
                            + other.height
                            + "x"
                            + other.width
                            + " mask");
        }
        boolean[] out = new boolean[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = pixels[i] || other.pixels[i];
        }
        return new BinaryMask(height, width, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryMask m
                && m.height == height
                && m.width == width
                && Arrays.equals(m.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "BinaryMask[" + height + "x" + width + ", area=" + area() + "]";
    }
}
