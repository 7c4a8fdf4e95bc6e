package eagle.core.mask;

import java.util.Arrays;
import java.util.List;

/**
 * Fills COCO polygons {@code [x1, y1, x2, y2, ...]} (image coordinates, pixel {@code (y, x)}
 * covering {@code [x, x+1) × [y, y+1)}) into a {@link BinaryMask}.
 *
 * <p>Rule: a pixel belongs to a polygon when its centre {@code (x + 0.5, y + 0.5)} is inside by the
 * <b>even-odd</b> rule (a scanline through the centre row crosses the polygon's edges an odd number
 * of times to the right of the centre). The edges are half-open in y ({@code min(ya, yb) <= yc <
 * max}) and a centre exactly on a crossing counts as inside on the left-hand crossing of a span, so
 * two polygons that share an edge never both claim a pixel on it. An instance with several polygons
 * is the <b>union</b> of each polygon's fill, as pycocotools merges the per-polygon RLEs of one
 * instance. pycocotools itself upsamples the polygon 5× and walks its boundary, which amounts to
 * sampling pixel centres up to 1/5 pixel of rounding; results agree except for pixels whose centre
 * is within that rounding of an edge.
 */
public final class PolygonRasterizer {

    private PolygonRasterizer() {}

    /**
     * Rasterizes the union of the polygons.
     *
     * @param polygons each {@code [x1, y1, ..., xk, yk]} with k ≥ 3 finite points
     * @param height mask height (> 0)
     * @param width mask width (> 0)
     * @throws IllegalArgumentException for no polygons, a polygon of odd length or fewer than 3
     *     points, a non-finite coordinate or a non-positive size
     */
    public static BinaryMask rasterize(List<double[]> polygons, int height, int width) {
        BinaryMask mask = BinaryMask.empty(height, width);
        if (polygons == null || polygons.isEmpty()) {
            throw new IllegalArgumentException("an instance needs at least one polygon");
        }
        for (int i = 0; i < polygons.size(); i++) {
            double[] poly = polygons.get(i);
            validate(poly, i);
            fill(poly, mask);
        }
        return mask;
    }

    private static void validate(double[] poly, int i) {
        if (poly == null) {
            throw new IllegalArgumentException("polygon " + i + " is null");
        }
        if (poly.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "polygon "
                            + i
                            + " has odd length "
                            + poly.length
                            + "; expected [x1, y1, x2, y2, ...]");
        }
        if (poly.length < 6) {
            throw new IllegalArgumentException(
                    "polygon " + i + " has " + poly.length / 2 + " points; at least 3 are needed");
        }
        for (int j = 0; j < poly.length; j++) {
            if (!Double.isFinite(poly[j])) {
                throw new IllegalArgumentException(
                        "polygon "
                                + i
                                + " has non-finite coordinate "
                                + poly[j]
                                + " at index "
                                + j);
            }
        }
    }

    /** Even-odd scanline fill of one polygon at pixel centres, OR-ed into the mask. */
    private static void fill(double[] poly, BinaryMask mask) {
        int k = poly.length / 2;
        double[] crossings = new double[k];
        for (int y = 0; y < mask.height(); y++) {
            double yc = y + 0.5;
            int n = 0;
            for (int a = 0; a < k; a++) {
                int b = (a + 1) % k;
                double xa = poly[2 * a];
                double ya = poly[2 * a + 1];
                double xb = poly[2 * b];
                double yb = poly[2 * b + 1];
                if ((ya > yc)
                        != (yb > yc)) { // edge spans the centre row (half-open, no horizontals)
                    crossings[n++] = xa + (yc - ya) * (xb - xa) / (yb - ya);
                }
            }
            Arrays.sort(
                    crossings, 0,
                    n); // n is even: every closed ring crosses a line an even number of times
            for (int s = 0; s + 1 < n; s += 2) {
                // centres x + 0.5 in [left, right)
                int from = (int) Math.max(0, Math.ceil(crossings[s] - 0.5));
                int to = (int) Math.min(mask.width() - 1, Math.ceil(crossings[s + 1] - 0.5) - 1);
                for (int x = from; x <= to; x++) {
                    mask.set(y, x, true);
                }
            }
        }
    }
}
