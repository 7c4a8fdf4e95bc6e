package eagle.platform;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import eagle.scenes.Instance;
import eagle.scenes.ObjectClass;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.Shape;
import eagle.scenes.Taxonomy;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A user-like COCO-format held-out set that the embedded base can be scored on: synthetic scenes
 * (the only world whose class names, e.g. "striped red triangle", its word tokenizer knows)
 * enlarged 4× onto non-square noisy canvases (landscape 352 × 256 and portrait 256 × 336) and saved
 * as JPEG photos; the scene stays inside the central square, which every centre crop keeps.
 * Categories have non-contiguous ids (2·class + 1) and the taxonomy's names (with spaces); masks
 * are written three ways in turn: a polygon (the mask's convex hull; stars, which are not convex,
 * as compressed RLE), an RLE counts list and a compressed RLE string.
 */
final class SceneCocoPhotos {

    static final int SCALE = 4;

    private SceneCocoPhotos() {}

    /**
     * What was written.
     *
     * @param json the instances JSON
     * @param images the folder its file names are relative to
     * @param polygons annotations written as polygons
     * @param rleLists annotations written as RLE counts lists
     * @param rleStrings annotations written as compressed RLE strings
     */
    record Written(Path json, Path images, int polygons, int rleLists, int rleStrings) {}

    /** Writes {@code count} photos of the scenes of seeds {@code seed, seed + 1, …}. */
    static Written write(Path dir, int count, long seed) throws IOException {
        SceneGenerator generator = SceneGenerator.standard();
        Taxonomy taxonomy = generator.taxonomy();
        Random random = new Random(seed);
        Path images = Files.createDirectories(dir.resolve("images"));
        ObjectNode root = Platform.JSON.createObjectNode();
        root.putObject("info").put("description", "held-out photos (generated)").put("year", 2026);
        ArrayNode imageArray = root.putArray("images");
        ArrayNode annotations = root.putArray("annotations");
        ArrayNode categories = root.putArray("categories");
        for (ObjectClass c : taxonomy.classes()) {
            categories
                    .addObject()
                    .put("id", categoryId(c.id()))
                    .put("name", c.name())
                    .put("supercategory", c.shape().word());
        }
        int polygons = 0;
        int rleLists = 0;
        int rleStrings = 0;
        long annotationId = 700_001L;
        int form = 0;
        for (int i = 0; i < count; i++) {
            Scene scene = generator.generate(seed + i);
            int side = scene.image().getWidth() * SCALE;
            boolean landscape = i % 2 == 0;
            int w = landscape ? side + 96 : side;
            int h = landscape ? side : side + 80;
            int dx = (w - side) / 2;
            int dy = (h - side) / 2;
            BufferedImage photo = canvas(w, h, random);
            Graphics2D g = photo.createGraphics();
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(scene.image(), dx, dy, side, side, null);
            g.dispose();
            long imageId = 410_000L + 13L * i;
            String file = String.format("photo_%06d.jpg", imageId);
            if (!ImageIO.write(photo, "jpg", images.resolve(file).toFile())) {
                throw new IOException("no JPEG writer");
            }
            imageArray
                    .addObject()
                    .put("id", imageId)
                    .put("file_name", file)
                    .put("width", w)
                    .put("height", h);
            for (Instance in : scene.instances()) {
                BinaryMask mask = enlarged(in.mask(), w, h, dx, dy);
                ObjectNode a = annotations.addObject();
                a.put("id", annotationId++)
                        .put("image_id", imageId)
                        .put("category_id", categoryId(in.classId()))
                        .put("area", (double) mask.area())
                        .put("iscrowd", 0);
                ArrayNode bbox = a.putArray("bbox");
                for (int v : mask.boundingBox()) {
                    bbox.add(v);
                }
                boolean convex = taxonomy.get(in.classId()).shape() != Shape.STAR;
                int kind = form++ % 3;
                if (kind == 0 && convex) {
                    ArrayNode polygon = a.putArray("segmentation").addArray();
                    for (int[] p : convexHull(mask)) {
                        polygon.add(p[0]).add(p[1]);
                    }
                    polygons++;
                } else {
                    ObjectNode seg = a.putObject("segmentation");
                    seg.putArray("size").add(h).add(w);
                    CocoRle rle = CocoRle.encode(mask);
                    if (kind == 1) {
                        ArrayNode counts = seg.putArray("counts");
                        for (long c : rle.counts()) {
                            counts.add(c);
                        }
                        rleLists++;
                    } else {
                        seg.put("counts", rle.toCompressedString());
                        rleStrings++;
                    }
                }
            }
        }
        Path json = dir.resolve("instances_heldout.json");
        Platform.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
        return new Written(json, images, polygons, rleLists, rleStrings);
    }

    private static int categoryId(int classId) {
        return 2 * classId + 1;
    }

    /** The scene's mask, each pixel a SCALE × SCALE block, at (dx, dy) on a w × h canvas. */
    private static BinaryMask enlarged(BinaryMask m, int w, int h, int dx, int dy) {
        BinaryMask out = BinaryMask.empty(h, w);
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                if (m.get(y, x)) {
                    for (int sy = 0; sy < SCALE; sy++) {
                        for (int sx = 0; sx < SCALE; sx++) {
                            out.set(dy + y * SCALE + sy, dx + x * SCALE + sx, true);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The convex hull (counter-clockwise) of the mask's pixel corners (Andrew's monotone chain).
     */
    static List<int[]> convexHull(BinaryMask m) {
        List<int[]> points = new ArrayList<>();
        for (int y = 0; y < m.height(); y++) {
            int lo = -1;
            int hi = -1;
            for (int x = 0; x < m.width(); x++) {
                if (m.get(y, x)) {
                    lo = lo < 0 ? x : lo;
                    hi = x;
                }
            }
            if (lo >= 0) {
                points.add(new int[] {lo, y});
                points.add(new int[] {lo, y + 1});
                points.add(new int[] {hi + 1, y});
                points.add(new int[] {hi + 1, y + 1});
            }
        }
        points.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : a[1] - b[1]);
        int[][] hull = new int[2 * points.size()][];
        int k = 0;
        for (int[] p : points) {
            while (k >= 2 && cross(hull[k - 2], hull[k - 1], p) <= 0) {
                k--;
            }
            hull[k++] = p;
        }
        for (int i = points.size() - 2, t = k + 1; i >= 0; i--) {
            int[] p = points.get(i);
            while (k >= t && cross(hull[k - 2], hull[k - 1], p) <= 0) {
                k--;
            }
            hull[k++] = p;
        }
        return Arrays.asList(hull).subList(0, Math.max(0, k - 1));
    }

    private static long cross(int[] o, int[] a, int[] b) {
        return (long) (a[0] - o[0]) * (b[1] - o[1]) - (long) (a[1] - o[1]) * (b[0] - o[0]);
    }

    /** A two-colour gradient with sensor noise: something like a photo's surroundings. */
    private static BufferedImage canvas(int w, int h, Random random) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Color a = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
        Color b = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double t = (x + y) / (double) (w + h);
                int n = random.nextInt(31) - 15;
                image.setRGB(
                        x,
                        y,
                        new Color(
                                        mix(a.getRed(), b.getRed(), t, n),
                                        mix(a.getGreen(), b.getGreen(), t, n),
                                        mix(a.getBlue(), b.getBlue(), t, n))
                                .getRGB());
            }
        }
        return image;
    }

    private static int mix(int a, int b, double t, int noise) {
        return Math.max(0, Math.min(255, (int) Math.round(a + (b - a) * t) + noise));
    }
}
