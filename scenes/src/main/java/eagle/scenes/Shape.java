package eagle.scenes;

/**
 * The object shapes of the synthetic world. Geometry is given in the object's own frame (u, v):
 * origin at the object's centre, v pointing down at angle 0, radius R = size / 2. A pixel belongs
 * to the shape when its centre (x + 0.5, y + 0.5), rotated into that frame, satisfies {@link
 * #contains}.
 */
public enum Shape {
    /** axis-aligned square of half side 0.8 R (in the object frame). */
    SQUARE("square", "squares"),
    /** equilateral triangle inscribed in the circle of radius R, apex at (0, −R): "pointing up". */
    TRIANGLE("triangle", "triangles"),
    /** disc of radius R. */
    DISC("disc", "discs"),
    /** five-pointed star, outer radius R, inner radius 0.45 R, top point at (0, −R). */
    STAR("star", "stars"),
    /** plus sign, arms of half width 0.3 R and half length R. */
    CROSS("cross", "crosses"),
    /** annulus between radii 0.55 R and R. */
    RING("ring", "rings");

    private final String word;
    private final String plural;

    Shape(String word, String plural) {
        this.word = word;
        this.plural = plural;
    }

    public String word() {
        return word;
    }

    public String plural() {
        return plural;
    }

    private static final double[][] TRIANGLE_UNIT = regularPolygon(3, 1.0, 1.0);
    private static final double[][] STAR_UNIT = regularPolygon(5, 1.0, 0.45);

    /** Whether the point (u, v) of the object frame lies in the shape of radius r. */
    public boolean contains(double u, double v, double r) {
        return switch (this) {
            case SQUARE -> Math.abs(u) <= 0.8 * r && Math.abs(v) <= 0.8 * r;
            case DISC -> u * u + v * v <= r * r;
            case RING -> {
                double d2 = u * u + v * v;
                yield d2 <= r * r && d2 >= 0.55 * 0.55 * r * r;
            }
            case CROSS ->
                    (Math.abs(u) <= 0.3 * r && Math.abs(v) <= r)
                            || (Math.abs(v) <= 0.3 * r && Math.abs(u) <= r);
            case TRIANGLE -> inPolygon(TRIANGLE_UNIT, u / r, v / r);
            case STAR -> inPolygon(STAR_UNIT, u / r, v / r);
        };
    }

    /**
     * Whether the shape looks different when turned half a turn (so "pointing up/down" means
     * something).
     */
    public boolean hasOrientation() {
        return this == TRIANGLE || this == STAR;
    }

    /**
     * Vertices of a regular polygon (k points, alternating outer radius and inner radius when they
     * differ), first vertex at (0, −outer): (2k or k, 2).
     */
    private static double[][] regularPolygon(int k, double outer, double inner) {
        boolean star = inner != outer;
        int n = star ? 2 * k : k;
        double[][] pts = new double[n][2];
        for (int i = 0; i < n; i++) {
            double a = -Math.PI / 2 + 2 * Math.PI * i / n;
            double rr = star && i % 2 == 1 ? inner : outer;
            pts[i][0] = rr * Math.cos(a);
            pts[i][1] = rr * Math.sin(a);
        }
        return pts;
    }

    /** Even-odd rule point-in-polygon. */
    private static boolean inPolygon(double[][] poly, double x, double y) {
        boolean in = false;
        for (int i = 0, j = poly.length - 1; i < poly.length; j = i++) {
            double xi = poly[i][0];
            double yi = poly[i][1];
            double xj = poly[j][0];
            double yj = poly[j][1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }
}
