package eagle.scenes.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The inline SVG the experiment's reports draw by hand (no scripts, no charting library):
 * primitives and the two chart kinds the reports share, a scatter with its Pareto front and a
 * per-round line chart.
 */
final class Svg {

    static final String[] COLOURS = {
        "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"
    };

    private Svg() {}

    /** A labelled point of a scatter; {@code colour} null picks from {@link #COLOURS} by index. */
    record Point(String label, double x, double y, String colour) {}

    /**
     * A scatter of points with the Pareto front (the points no other point beats on both axes)
     * joined by a dashed line, in the direction each axis improves.
     */
    static String scatterWithFront(
            List<Point> points,
            String xLabel,
            boolean xHigherBetter,
            String yLabel,
            boolean yHigherBetter) {
        int width = 520;
        int height = 360;
        int left = 60;
        int top = 20;
        int plotW = width - left - 20;
        int plotH = height - top - 50;
        List<Point> finite =
                points.stream()
                        .filter(p -> Double.isFinite(p.x()) && Double.isFinite(p.y()))
                        .toList();
        double[] xr = range(finite.stream().mapToDouble(Point::x).toArray());
        double[] yr = range(finite.stream().mapToDouble(Point::y).toArray());
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">");
        for (int tick = 0; tick <= 4; tick++) {
            double y = top + plotH - plotH * tick / 4.0;
            double x = left + plotW * tick / 4.0;
            s.append(line(left, y, left + plotW, y, "#eee"))
                    .append(
                            text(
                                    left - 5,
                                    y + 4,
                                    fmt("%.3f", yr[0] + (yr[1] - yr[0]) * tick / 4),
                                    "end"));
            s.append(line(x, top, x, top + plotH, "#eee"))
                    .append(
                            text(
                                    x,
                                    top + plotH + 14,
                                    fmt("%.3f", xr[0] + (xr[1] - xr[0]) * tick / 4),
                                    "middle"));
        }
        s.append(
                text(
                        left + plotW / 2.0,
                        height - 8,
                        xLabel + (xHigherBetter ? " (higher is better) →" : " (lower is better)"),
                        "middle"));
        s.append(
                        fmt(
                                "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">",
                                top + plotH / 2.0, top + plotH / 2.0))
                .append(
                        esc(
                                yLabel
                                        + (yHigherBetter
                                                ? " (higher is better)"
                                                : " (lower is better)")))
                .append("</text>");
        List<Point> front = paretoFront(finite, xHigherBetter, yHigherBetter);
        StringBuilder path = new StringBuilder();
        for (Point p : front) {
            path.append(fmt("%.1f,%.1f ", px(p.x(), xr, left, plotW), py(p.y(), yr, top, plotH)));
        }
        if (front.size() > 1) {
            s.append("<polyline fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\" points=\"")
                    .append(path)
                    .append("\"><title>Pareto front</title></polyline>");
        }
        int i = 0;
        List<double[]> labels = new ArrayList<>();
        for (Point p : finite) {
            double x = px(p.x(), xr, left, plotW);
            double y = py(p.y(), yr, top, plotH);
            double labelY = y - 6;
            boolean moved = true;
            while (moved) { // coinciding points: stack their labels instead of overprinting them
                moved = false;
                for (double[] l : labels) {
                    if (Math.abs(l[0] - x) < 60 && Math.abs(l[1] - labelY) < 11) {
                        labelY = l[1] + 12;
                        moved = true;
                    }
                }
            }
            labels.add(new double[] {x, labelY});
            String colour = p.colour() != null ? p.colour() : COLOURS[i % COLOURS.length];
            boolean onFront = front.contains(p);
            s.append(
                    fmt(
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"#333\" stroke-width=\"%s\">"
                                    + "<title>%s: %s %.4f, %s %.4f%s</title></circle>",
                            x,
                            y,
                            onFront ? 6 : 4,
                            colour,
                            onFront ? "1.5" : "0",
                            esc(p.label()),
                            esc(xLabel),
                            p.x(),
                            esc(yLabel),
                            p.y(),
                            onFront ? " (on the front)" : ""));
            s.append(text(x + 8, labelY, p.label(), "start"));
            i++;
        }
        return s.append("</svg>").toString();
    }

    /**
     * The points not dominated by another (at least as good on both axes, better on one), sorted by
     * x.
     */
    static List<Point> paretoFront(
            List<Point> points, boolean xHigherBetter, boolean yHigherBetter) {
        List<Point> front = new ArrayList<>();
        for (Point p : points) {
            boolean dominated = false;
            for (Point q : points) {
                if (q == p) {
                    continue;
                }
                double dx = xHigherBetter ? q.x() - p.x() : p.x() - q.x(); // > 0: q better on x
                double dy = yHigherBetter ? q.y() - p.y() : p.y() - q.y();
                if (dx >= 0 && dy >= 0 && (dx > 0 || dy > 0)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(p);
            }
        }
        front.sort(Comparator.comparingDouble(Point::x));
        return front;
    }

    /**
     * A metric over rounds 0 … K: the candidate of each round (filled circle when blessed, open
     * when rejected), production after each round (a step line) and the base (a dashed level).
     *
     * @param candidate value of round r's candidate at index r − 1
     * @param blessed round r's verdict at index r − 1
     * @param production production's value after round r at index r − 1
     */
    static String roundsChart(
            String metric,
            double base,
            double[] candidate,
            boolean[] blessed,
            double[] production) {
        int width = 340;
        int height = 200;
        int left = 50;
        int top = 22;
        int plotW = width - left - 15;
        int plotH = height - top - 30;
        int k = candidate.length;
        double[] all = new double[2 * k + 1];
        all[0] = base;
        System.arraycopy(candidate, 0, all, 1, k);
        System.arraycopy(production, 0, all, 1 + k, k);
        double[] yr = range(all);
        double[] xr = {0, Math.max(1, k)};
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"10\">");
        s.append(text(left, 13, metric, "start"));
        for (int tick = 0; tick <= 3; tick++) {
            double y = top + plotH - plotH * tick / 3.0;
            s.append(line(left, y, left + plotW, y, "#eee"))
                    .append(
                            text(
                                    left - 4,
                                    y + 3,
                                    fmt("%.3f", yr[0] + (yr[1] - yr[0]) * tick / 3),
                                    "end"));
        }
        for (int r = 0; r <= k; r++) {
            s.append(
                    text(
                            px(r, xr, left, plotW),
                            top + plotH + 13,
                            r == 0 ? "base" : String.valueOf(r),
                            "middle"));
        }
        double by = py(base, yr, top, plotH);
        s.append(
                fmt(
                        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\" stroke-dasharray=\"4 3\">"
                                + "<title>base %.4f</title></line>",
                        left, by, left + plotW, by, base));
        StringBuilder prod = new StringBuilder(fmt("%.1f,%.1f ", px(0, xr, left, plotW), by));
        StringBuilder cand = new StringBuilder(fmt("%.1f,%.1f ", px(0, xr, left, plotW), by));
        double last = base;
        for (int r = 1; r <= k; r++) {
            double x = px(r, xr, left, plotW);
            prod.append(
                    fmt(
                            "%.1f,%.1f %.1f,%.1f ",
                            x, py(last, yr, top, plotH), x, py(production[r - 1], yr, top, plotH)));
            last = production[r - 1];
            cand.append(fmt("%.1f,%.1f ", x, py(candidate[r - 1], yr, top, plotH)));
        }
        s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
                .append(COLOURS[2])
                .append("\" points=\"")
                .append(prod)
                .append("\"><title>production</title></polyline>");
        s.append("<polyline fill=\"none\" stroke-width=\"1\" stroke=\"")
                .append(COLOURS[0])
                .append("\" points=\"")
                .append(cand)
                .append("\"><title>candidate</title></polyline>");
        for (int r = 1; r <= k; r++) {
            s.append(
                    fmt(
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"%s\"><title>round %d"
                                    + " candidate %.4f (%s)</title></circle>",
                            px(r, xr, left, plotW),
                            py(candidate[r - 1], yr, top, plotH),
                            blessed[r - 1] ? COLOURS[0] : "white",
                            COLOURS[0],
                            r,
                            candidate[r - 1],
                            blessed[r - 1] ? "blessed" : "rejected"));
        }
        return s.append("</svg>").toString();
    }

    /** [min, max] of the finite values, widened by 5% (and to a width of 0.01 at least). */
    private static double[] range(double[] values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!Double.isFinite(lo)) {
            return new double[] {0, 1};
        }
        double pad = Math.max(0.005, 0.05 * (hi - lo));
        return new double[] {lo - pad, hi + pad};
    }

    private static double px(double v, double[] r, int left, int w) {
        return left + w * (v - r[0]) / (r[1] - r[0]);
    }

    private static double py(double v, double[] r, int top, int h) {
        return top + h - h * (Double.isFinite(v) ? (v - r[0]) / (r[1] - r[0]) : 0);
    }

    static String line(double x1, double y1, double x2, double y2, String colour) {
        return fmt(
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"",
                        x1, y1, x2, y2)
                + colour
                + "\"/>";
    }

    static String text(double x, double y, String t, String anchor) {
        return fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"", x, y)
                + anchor
                + "\">"
                + esc(t)
                + "</text>";
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
