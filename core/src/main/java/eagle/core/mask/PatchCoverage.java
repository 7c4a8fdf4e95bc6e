package eagle.core.mask;

/**
 * The fraction of each ViT patch covered by a mask, after the same geometry the image goes through
 * (CLIP preprocessing): resize so the shortest side is S, then centre-crop S × S, then cut into a
 * grid of {@code G = S / patchSize} patches per side (P = G² patches, row-major, as the patch
 * tokens).
 *
 * <p>Geometry, for a source mask of h × w pixels:
 *
 * <pre>
 *   resized  w' = round(w·S / min(w, h)),  h' = round(h·S / min(w, h))     (Math.round: half up)
 *   crop     ox = floor((w' − S) / 2),     oy = floor((h' − S) / 2)
 *   patch (gy, gx) covers resized [ox + gx·ps, ox + (gx+1)·ps) × [oy + gy·ps, oy + (gy+1)·ps)
 *   mapped back to source by x_src = x_res · w / w',  y_src = y_res · h / h'
 *   a_p = ∫ mask over that source rectangle / its area
 * </pre>
 *
 * The mask is treated as piecewise constant on its pixels, so a_p is an exact area integral (the
 * mask "downsampled by area"); a single-pixel mask gets a nonzero fraction in every patch it
 * touches. The image preprocessing must use the same rounding (half-up resize, floor crop offset)
 * for the patches and the mask to line up.
 */
public final class PatchCoverage {

    private PatchCoverage() {}

    /**
     * Fraction (0..1) of each of the grid × grid patches covered, after resize-shortest-side +
     * centre crop; index {@code gy * grid + gx}.
     *
     * @param mask source-resolution mask
     * @param imageSize S, the square input side of the encoder (e.g. 224)
     * @param patchSize the ViT patch side (e.g. 16); must divide S
     * @throws IllegalArgumentException for a non-positive size or a patch size that does not divide
     *     S
     */
    public static float[] of(BinaryMask mask, int imageSize, int patchSize) {
        if (mask == null) {
            throw new IllegalArgumentException("mask is null");
        }
        if (imageSize <= 0 || patchSize <= 0) {
            throw new IllegalArgumentException(
                    "image size and patch size must be positive, got "
                            + imageSize
                            + " and "
                            + patchSize);
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "patch size " + patchSize + " does not divide image size " + imageSize);
        }
        int h = mask.height();
        int w = mask.width();
        int grid = imageSize / patchSize;
        double shortest = Math.min(w, h);
        long resizedW = Math.round(w * (double) imageSize / shortest);
        long resizedH = Math.round(h * (double) imageSize / shortest);
        long offsetX = Math.floorDiv(resizedW - imageSize, 2);
        long offsetY = Math.floorDiv(resizedH - imageSize, 2);
        double toSourceX = w / (double) resizedW;
        double toSourceY = h / (double) resizedH;

        // row-wise prefix sums make each patch's integral O(rows touched)
        int[][] prefix = new int[h][w + 1]; // prefix[y][x] = set pixels in row y left of x
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                prefix[y][x + 1] = prefix[y][x] + (mask.get(y, x) ? 1 : 0);
            }
        }

        float[] coverage = new float[grid * grid]; // (P), row-major over (gy, gx)
        for (int gy = 0; gy < grid; gy++) {
            double y0 = (offsetY + (long) gy * patchSize) * toSourceY;
            double y1 = (offsetY + (long) (gy + 1) * patchSize) * toSourceY;
            for (int gx = 0; gx < grid; gx++) {
                double x0 = (offsetX + (long) gx * patchSize) * toSourceX;
                double x1 = (offsetX + (long) (gx + 1) * patchSize) * toSourceX;
                double covered = 0;
                int yFirst = (int) Math.max(0, Math.floor(y0));
                int yLast = (int) Math.min(h - 1, Math.ceil(y1) - 1);
                for (int y = yFirst; y <= yLast; y++) {
                    double wy = Math.min(y1, y + 1) - Math.max(y0, y);
                    if (wy > 0) {
                        covered += wy * rowIntegral(prefix[y], x0, x1, w);
                    }
                }
                double area = (y1 - y0) * (x1 - x0);
                coverage[gy * grid + gx] = (float) Math.min(1.0, covered / area);
            }
        }
        return coverage;
    }

    /** ∫ of one mask row over [x0, x1], the row being constant on each pixel [x, x+1). */
    private static double rowIntegral(int[] prefix, double x0, double x1, int w) {
        double a = Math.max(0, x0);
        double b = Math.min(w, x1);
        if (b <= a) {
            return 0;
        }
        int first = (int) Math.floor(a);
        int last = (int) Math.ceil(b) - 1;
        if (first == last) {
            return (b - a) * (prefix[first + 1] - prefix[first]);
        }
        double sum = (first + 1 - a) * (prefix[first + 1] - prefix[first]);
        sum += prefix[last] - prefix[first + 1]; // whole pixels first+1 .. last-1
        sum += (b - last) * (prefix[last + 1] - prefix[last]);
        return sum;
    }
}
