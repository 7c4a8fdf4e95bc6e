package eagle.platform;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Test data that looks like a user's COCO export rather than the synthetic world: a COCO instances
 * JSON ({@code info}, {@code licenses}, {@code images}, {@code annotations}, {@code categories}
 * with non-contiguous ids and supercategories) and an {@code images/} folder of photo-like pictures
 * (textured backgrounds and objects, sensor noise) in the sizes cameras and datasets use — 640×480
 * and 500×375 JPEGs, 480×640 PNGs — so nothing is square.
 *
 * <p>Each image holds, in this order:
 *
 * <ul>
 *   <li>two or three <b>usable</b> objects near the centre, of the classes {@link #CLASSES} (names
 *       with spaces), as a polygon, an RLE counts list ({@code iscrowd} 1) or a compressed RLE
 *       string ({@code iscrowd} 1), in turn;
 *   <li>on every second image, an object within {@value #EDGE} px of the left or right edge (the
 *       top edge of a portrait image), which CLIP's resize + centre crop removes whatever the input
 *       size: <b>cropped away</b>;
 *   <li>on every third image, a <b>tiny</b> object of 2 × 2 px;
 *   <li>on every fourth image, an object of {@link #UNPROMPTABLE_CLASS}: a free-text label whose
 *       prompt CLIP's 77-token context cannot hold, and whose words no word vocabulary of the
 *       embedded base knows.
 * </ul>
 *
 * The last image holds only a cropped-away and an unprompt-able object, so it has <b>no usable
 * instance</b>. Deterministic for a seed.
 */
final class UserCocoExport {

    /** The usable classes, COCO's names (with spaces) and ids. */
    static final Map<String, Integer> CLASSES = classes();

    /**
     * A free-text label that no prompt of CLIP's context length (77 tokens) can hold; under 256
     * characters.
     */
    static final String UNPROMPTABLE_CLASS = unpromptable();

    static final int UNPROMPTABLE_ID = 91;

    /**
     * How close to the edge a cropped-away object lies, px; CLIP's centre crop drops at least 62 px
     * per side.
     */
    static final int EDGE = 40;

    /**
     * A trainer minimum of covered area, in patches (Σ_p a_p at 64 px in 16 px patches), that the
     * tiny objects miss and every usable one reaches ({@code eagle.trainer.round.min-patch-area};
     * UserCocoExportTest checks both).
     */
    static final double MIN_PATCH_AREA = 0.02;

    private static final int[][] SIZES = {{640, 480}, {500, 375}, {480, 640}};

    private UserCocoExport() {}

    /**
     * What was written and what each instance is for.
     *
     * @param json the COCO instances JSON
     * @param images the image folder
     * @param imageIds COCO image ids, in order
     * @param usable instances a trainer can use
     * @param croppedAway instances CLIP's centre crop removes
     * @param tiny 2 × 2 px instances
     * @param unpromptable instances of {@link #UNPROMPTABLE_CLASS}
     * @param withoutUsable images with no usable instance
     */
    record Written(
            Path json,
            Path images,
            List<Long> imageIds,
            int usable,
            int croppedAway,
            int tiny,
            int unpromptable,
            int withoutUsable) {

        int instances() {
            return usable + croppedAway + tiny + unpromptable;
        }
    }

    /** Writes {@code count} (≥ 2) images and their annotations under {@code dir}. */
    static Written write(Path dir, int count, long seed) throws IOException {
        if (count < 2) {
            throw new IllegalArgumentException(
                    "at least two images, one of them without usable instances");
        }
        Random random = new Random(seed);
        Path images = Files.createDirectories(dir.resolve("images"));
        ObjectNode root = Platform.JSON.createObjectNode();
        root.putObject("info")
                .put("description", "platform test export (generated)")
                .put("version", "1.0")
                .put("year", 2026)
                .put("date_created", "2026-12-03");
        root.putArray("licenses")
                .addObject()
                .put("id", 1)
                .put("name", "test data, no licence")
                .put("url", "");
        ArrayNode imageArray = root.putArray("images");
        ArrayNode annotations = root.putArray("annotations");
        ArrayNode categories = root.putArray("categories");
        CLASSES.forEach(
                (name, id) ->
                        categories
                                .addObject()
                                .put("supercategory", supercategory(name))
                                .put("id", id)
                                .put("name", name));
        categories
                .addObject()
                .put("supercategory", "other")
                .put("id", UNPROMPTABLE_ID)
                .put("name", UNPROMPTABLE_CLASS);

        List<String> names = new ArrayList<>(CLASSES.keySet());
        List<Long> ids = new ArrayList<>();
        int usable = 0;
        int cropped = 0;
        int tiny = 0;
        int unpromptable = 0;
        long annotationId = 9_000_001L;
        int kind = 0;
        for (int i = 0; i < count; i++) {
            boolean last = i == count - 1;
            int[] size = SIZES[i % SIZES.length];
            int w = size[0];
            int h = size[1];
            boolean png = h > w;
            long imageId = 397_133L + 17L * i;
            String file = String.format("%012d.%s", imageId, png ? "png" : "jpg");
            BufferedImage image = background(w, h, random);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            List<ObjectNode> anns = new ArrayList<>();

            int objects = last ? 0 : 2 + random.nextInt(2);
            for (int o = 0; o < objects; o++) {
                // centre region: the middle 40 % of the shorter side, which every centre crop keeps
                int side = Math.min(w, h);
                int cx = w / 2 + (int) ((random.nextDouble() - 0.5) * side * 0.3);
                int cy = h / 2 + (int) ((random.nextDouble() - 0.5) * side * 0.3);
                int r = (int) (side * (0.08 + 0.06 * random.nextDouble()));
                String cls = names.get((i + o) % names.size());
                anns.add(object(g, w, h, cx, cy, r, kind++ % 3, random));
                anns.get(anns.size() - 1).put("category_id", CLASSES.get(cls));
                usable++;
            }
            if (i % 2 == 1 || last) {
                // within EDGE px of an edge along the longer side, so any centre crop removes it
                int r = EDGE / 2 - 2;
                int cx;
                int cy;
                if (w > h) {
                    cx = random.nextBoolean() ? r + 1 : w - r - 2;
                    cy = h / 2 + random.nextInt(h / 4);
                } else {
                    cx = w / 2 + random.nextInt(w / 4);
                    cy = r + 1;
                }
                ObjectNode a = object(g, w, h, cx, cy, r, 0, random);
                a.put("category_id", CLASSES.get(names.get(i % names.size())));
                anns.add(a);
                cropped++;
            }
            if (i % 3 == 2 && !last) {
                int x = w / 2 - 30 + random.nextInt(60);
                int y = h / 2 - 30 + random.nextInt(60);
                g.setColor(new Color(250, 250, 20));
                g.fillRect(x, y, 2, 2);
                ObjectNode a = Platform.JSON.createObjectNode();
                a.putArray("segmentation")
                        .addArray()
                        .add(x)
                        .add(y)
                        .add(x + 2)
                        .add(y)
                        .add(x + 2)
                        .add(y + 2)
                        .add(x)
                        .add(y + 2);
                a.put("area", 4.0).put("iscrowd", 0);
                a.putArray("bbox").add(x).add(y).add(2).add(2);
                a.put("category_id", CLASSES.get(names.get((i + 1) % names.size())));
                anns.add(a);
                tiny++;
            }
            if (i % 4 == 3 || last) {
                int side = Math.min(w, h);
                ObjectNode a =
                        object(g, w, h, w / 2 + side / 6, h / 2 - side / 8, side / 10, 1, random);
                a.put("category_id", UNPROMPTABLE_ID);
                anns.add(a);
                unpromptable++;
            }
            g.dispose();
            sensorNoise(image, random);
            if (!ImageIO.write(image, png ? "png" : "jpg", images.resolve(file).toFile())) {
                throw new IOException("no ImageIO writer for " + file);
            }
            imageArray
                    .addObject()
                    .put("license", 1)
                    .put("file_name", file)
                    .put("height", h)
                    .put("width", w)
                    .put("date_captured", "2026-11-30 12:00:00")
                    .put("id", imageId);
            for (ObjectNode a : anns) {
                a.put("image_id", imageId).put("id", annotationId++);
                annotations.add(a);
            }
            ids.add(imageId);
        }
        Path json = dir.resolve("instances_user.json");
        Platform.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
        return new Written(json, images, ids, usable, cropped, tiny, unpromptable, 1);
    }

    /**
     * Draws a textured object and returns its annotation (without ids): {@code form} 0 a polygon (a
     * jittered octagon), 1 an ellipse as an RLE counts list, 2 an ellipse as a compressed RLE
     * string (both {@code iscrowd} 1).
     */
    private static ObjectNode object(
            Graphics2D g, int w, int h, int cx, int cy, int r, int form, Random random) {
        Color base =
                new Color(
                        40 + random.nextInt(200),
                        40 + random.nextInt(200),
                        40 + random.nextInt(200));
        ObjectNode a = Platform.JSON.createObjectNode();
        if (form == 0) {
            Polygon p = new Polygon();
            ArrayNode coords = a.putArray("segmentation").addArray();
            for (int k = 0; k < 8; k++) {
                double angle = Math.PI * 2 * k / 8 + random.nextDouble() * 0.3;
                double rr = r * (0.75 + 0.25 * random.nextDouble());
                int x = clamp((int) Math.round(cx + rr * Math.cos(angle)), 0, w - 1);
                int y = clamp((int) Math.round(cy + rr * Math.sin(angle)), 0, h - 1);
                p.addPoint(x, y);
                coords.add(x).add(y);
            }
            paint(g, p, base, random);
            a.put("area", (double) area(p)).put("iscrowd", 0);
            var b = p.getBounds();
            a.putArray("bbox").add(b.x).add(b.y).add(b.width).add(b.height);
            return a;
        }
        double rx = r;
        double ry = r * (0.6 + 0.5 * random.nextDouble());
        Ellipse2D e = new Ellipse2D.Double(cx - rx, cy - ry, 2 * rx, 2 * ry);
        paint(g, e, base, random);
        BinaryMask mask = BinaryMask.empty(h, w);
        for (int y = Math.max(0, (int) (cy - ry)); y <= Math.min(h - 1, (int) (cy + ry)); y++) {
            for (int x = Math.max(0, (int) (cx - rx)); x <= Math.min(w - 1, (int) (cx + rx)); x++) {
                if (e.contains(x + 0.5, y + 0.5)) {
                    mask.set(y, x, true);
                }
            }
        }
        CocoRle rle = CocoRle.encode(mask);
        ObjectNode segmentation = a.putObject("segmentation");
        segmentation.putArray("size").add(h).add(w);
        if (form == 1) {
            ArrayNode counts = segmentation.putArray("counts");
            for (long c : rle.counts()) {
                counts.add(c);
            }
        } else {
            segmentation.put("counts", rle.toCompressedString());
        }
        int[] box = mask.boundingBox();
        a.put("area", (double) mask.area()).put("iscrowd", 1);
        a.putArray("bbox").add(box[0]).add(box[1]).add(box[2]).add(box[3]);
        return a;
    }

    /** A base colour, darker stripes and a highlight: texture, not a flat fill. */
    private static void paint(Graphics2D g, java.awt.Shape shape, Color base, Random random) {
        g.setColor(base);
        g.fill(shape);
        var clip = g.getClip();
        g.clip(shape);
        g.setColor(base.darker());
        g.setStroke(new BasicStroke(2 + random.nextInt(3)));
        var b = shape.getBounds();
        int step = 5 + random.nextInt(6);
        for (int x = b.x - b.height; x < b.x + b.width; x += step) {
            g.drawLine(x, b.y + b.height, x + b.height, b.y);
        }
        g.setColor(base.brighter());
        g.fillOval(
                b.x + b.width / 5,
                b.y + b.height / 5,
                Math.max(1, b.width / 4),
                Math.max(1, b.height / 5));
        g.setClip(clip);
    }

    /**
     * A two-colour gradient with low-frequency blotches and random strokes, like a cluttered scene.
     */
    private static BufferedImage background(int w, int h, Random random) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        float[] top = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
        float[] bottom = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
        double fx = 0.01 + random.nextDouble() * 0.03;
        double fy = 0.01 + random.nextDouble() * 0.03;
        for (int y = 0; y < h; y++) {
            float t = y / (float) (h - 1);
            for (int x = 0; x < w; x++) {
                double blotch =
                        0.12 * Math.sin(x * fx + 3 * Math.sin(y * fy)) * Math.cos(y * fy * 1.7);
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = (top[c] * (1 - t) + bottom[c] * t + blotch) * 255;
                    rgb = rgb << 8 | clamp((int) v, 0, 255);
                }
                image.setRGB(x, y, rgb);
            }
        }
        Graphics2D g = image.createGraphics();
        for (int k = 0; k < 25; k++) {
            g.setColor(
                    new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 90));
            g.setStroke(new BasicStroke(1 + random.nextInt(6)));
            g.drawLine(random.nextInt(w), random.nextInt(h), random.nextInt(w), random.nextInt(h));
        }
        g.dispose();
        return image;
    }

    private static void sensorNoise(BufferedImage image, Random random) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int out = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    int v = (rgb >> shift & 0xff) + (int) (random.nextGaussian() * 6);
                    out = out << 8 | clamp(v, 0, 255);
                }
                image.setRGB(x, y, out);
            }
        }
    }

    private static long area(Polygon p) {
        long twice = 0;
        for (int i = 0; i < p.npoints; i++) {
            int j = (i + 1) % p.npoints;
            twice += (long) p.xpoints[i] * p.ypoints[j] - (long) p.xpoints[j] * p.ypoints[i];
        }
        return Math.abs(twice) / 2;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static String supercategory(String name) {
        return switch (name) {
            case "traffic light", "fire hydrant" -> "outdoor";
            case "wine glass" -> "kitchen";
            default -> "food";
        };
    }

    private static Map<String, Integer> classes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("traffic light", 10);
        m.put("fire hydrant", 11);
        m.put("wine glass", 46);
        m.put("hot dog", 58);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * 120 one-letter words (239 characters): over 120 BPE tokens, where CLIP's context holds 77.
     */
    private static String unpromptable() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            if (i > 0) {
                s.append(' ');
            }
            s.append((char) ('a' + i % 26));
        }
        return s.toString();
    }
}
