package eagle.scenes;

/**
 * One object of a layout, in pixel coordinates (x right, y down).
 *
 * @param classId taxonomy id
 * @param shape its class's shape
 * @param texture its class's texture
 * @param cx centre x
 * @param cy centre y
 * @param size diameter 2R in pixels
 * @param angle rotation in radians (0: triangles and stars point up; π: down)
 * @param rgb this instance's colour 0xRRGGBB (class colour with jitter)
 * @param band texture band width in pixels
 */
public record PlacedObject(
        int classId,
        Shape shape,
        Texture texture,
        double cx,
        double cy,
        double size,
        double angle,
        int rgb,
        double band) {

    /** Whether the centre of pixel (x, y) lies inside the object. */
    public boolean covers(int x, int y) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        // rotate the offset by −angle into the object frame
        return shape.contains(dx * c + dy * s, -dx * s + dy * c, size / 2);
    }

    /** The colour the object paints at pixel (x, y) (its colour or its texture's). */
    public int colourAt(int x, int y) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return texture.colourAt(rgb, dx * c + dy * s, -dx * s + dy * c, band);
    }

    /**
     * The row-major indices (y·width + x) of the pixels of a width × height image whose centres lie
     * inside the object, ascending; the same set as {@link #covers} gives, computed with one
     * rotation.
     */
    public int[] footprint(int width, int height) {
        int[] b = bounds(width, height);
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double r = size / 2;
        int[] out = new int[Math.max(0, (b[2] - b[0]) * (b[3] - b[1]))];
        int n = 0;
        for (int y = b[1]; y < b[3]; y++) {
            double dy = y + 0.5 - cy;
            for (int x = b[0]; x < b[2]; x++) {
                double dx = x + 0.5 - cx;
                if (shape.contains(dx * c + dy * s, -dx * s + dy * c, r)) {
                    out[n++] = y * width + x;
                }
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** {@link #colourAt(int, int)} with cos(angle) and sin(angle) given. */
    int colourAt(int x, int y, double c, double s) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        return texture.colourAt(rgb, dx * c + dy * s, -dx * s + dy * c, band);
    }

    /** Pixel bounds [x0, y0, x1, y1) that can contain the object, clipped to the image. */
    int[] bounds(int width, int height) {
        double r = size / 2 + 1;
        return new int[] {
            Math.max(0, (int) Math.floor(cx - r)),
            Math.max(0, (int) Math.floor(cy - r)),
            Math.min(width, (int) Math.ceil(cx + r) + 1),
            Math.min(height, (int) Math.ceil(cy + r) + 1)
        };
    }

    public PlacedObject withClass(int id, Shape s, Texture t, int newRgb) {
        return new PlacedObject(id, s, t, cx, cy, size, angle, newRgb, band);
    }

    public PlacedObject moved(double x, double y) {
        return new PlacedObject(classId, shape, texture, x, y, size, angle, rgb, band);
    }

    public PlacedObject resized(double newSize) {
        return new PlacedObject(classId, shape, texture, cx, cy, newSize, angle, rgb, band);
    }

    public PlacedObject rotated(double newAngle) {
        return new PlacedObject(classId, shape, texture, cx, cy, size, newAngle, rgb, band);
    }
}
