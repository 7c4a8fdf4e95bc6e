package eagle.scenes.coco;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import eagle.core.mask.PolygonRasterizer;
import eagle.scenes.Instance;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Reads a COCO instance JSON (ours or a real one). Segmentations may be compressed RLE ({"size",
 * "counts": "…"}), uncompressed RLE ({"size", "counts": [..]}) or polygons ([[x1, y1, x2, y2, …],
 * …], rasterised by {@link PolygonRasterizer}). Images are read from the JSON's folder (optionally
 * {@code imageDir}) by file_name. Anything malformed fails with an {@link IllegalArgumentException}
 * naming the annotation or image and what is wrong. Annotations with "iscrowd": 1 are kept and
 * listed in {@link AnnotatedImage#crowd()}.
 */
public final class CocoImport {

    private CocoImport() {}

    /** Reads the JSON and loads every image from the JSON's folder. */
    public static CocoDataset read(Path json) {
        return read(json, json.toAbsolutePath().getParent(), true);
    }

    /**
     * @param json the annotations file
     * @param imageDir folder the file names are relative to
     * @param loadImages whether to read the pixels (false: {@link AnnotatedImage#image()} is null)
     */
    public static CocoDataset read(Path json, Path imageDir, boolean loadImages) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
        List<CocoCategory> cats = new ArrayList<>();
        for (JsonNode c : array(root, "categories")) {
            cats.add(
                    new CocoCategory(
                            requireInt(c, "id", "category"),
                            c.path("name").asText(""),
                            c.path("supercategory").asText("")));
        }
        cats.sort(Comparator.comparingInt(CocoCategory::id));
        Map<Integer, Integer> catIndex = new HashMap<>();
        for (int i = 0; i < cats.size(); i++) {
            if (catIndex.put(cats.get(i).id(), i) != null) {
                throw new IllegalArgumentException("duplicate category id " + cats.get(i).id());
            }
        }
        Map<Long, JsonNode> imageNodes = new LinkedHashMap<>();
        for (JsonNode im : array(root, "images")) {
            long id = requireLong(im, "id", "image");
            if (imageNodes.put(id, im) != null) {
                throw new IllegalArgumentException("duplicate image id " + id);
            }
        }
        Map<Long, List<Instance>> instances = new HashMap<>();
        Map<Long, Set<String>> crowd = new HashMap<>();
        for (JsonNode a : array(root, "annotations")) {
            long annId = requireLong(a, "id", "annotation");
            String where = "annotation " + annId;
            long imageId = requireLong(a, "image_id", where);
            JsonNode im = imageNodes.get(imageId);
            if (im == null) {
                throw new IllegalArgumentException(where + ": unknown image_id " + imageId);
            }
            int catId = requireInt(a, "category_id", where);
            Integer cls = catIndex.get(catId);
            if (cls == null) {
                throw new IllegalArgumentException(where + ": unknown category_id " + catId);
            }
            int h = requireInt(im, "height", "image " + imageId);
            int w = requireInt(im, "width", "image " + imageId);
            BinaryMask mask = segmentation(a.get("segmentation"), h, w, where);
            String instanceId =
                    a.hasNonNull("instance_id")
                            ? a.get("instance_id").asText()
                            : Long.toString(annId);
            instances
                    .computeIfAbsent(imageId, k -> new ArrayList<>())
                    .add(new Instance(instanceId, cls, cats.get(cls).name(), mask));
            if (a.path("iscrowd").asInt(0) == 1) {
                crowd.computeIfAbsent(imageId, k -> new HashSet<>()).add(instanceId);
            }
        }
        List<AnnotatedImage> images = new ArrayList<>();
        for (Map.Entry<Long, JsonNode> e : imageNodes.entrySet()) {
            JsonNode im = e.getValue();
            String where = "image " + e.getKey();
            String file = im.path("file_name").asText("");
            if (file.isEmpty()) {
                throw new IllegalArgumentException(where + ": missing file_name");
            }
            int h = requireInt(im, "height", where);
            int w = requireInt(im, "width", where);
            BufferedImage pixels = null;
            if (loadImages) {
                pixels = readImage(imageDir.resolve(file), where);
                if (pixels.getWidth() != w || pixels.getHeight() != h) {
                    throw new IllegalArgumentException(
                            where
                                    + ": file is "
                                    + pixels.getWidth()
                                    + "x"
                                    + pixels.getHeight()
                                    + " but the JSON says "
                                    + w
                                    + "x"
                                    + h);
                }
            }
            images.add(
                    new AnnotatedImage(
                            e.getKey(),
                            file,
                            w,
                            h,
                            pixels,
                            List.copyOf(instances.getOrDefault(e.getKey(), List.of())),
                            im.path("caption").asText(""),
                            crowd.getOrDefault(e.getKey(), Set.of())));
        }
        return new CocoDataset(cats, images);
    }

    /** Decodes one segmentation field into an h × w mask. */
    static BinaryMask segmentation(JsonNode seg, int h, int w, String where) {
        if (seg == null || seg.isNull()) {
            throw new IllegalArgumentException(where + ": missing segmentation");
        }
        try {
            if (seg.isArray()) {
                List<double[]> polys = new ArrayList<>();
                for (JsonNode p : seg) {
                    if (!p.isArray()) {
                        throw new IllegalArgumentException("polygon is not an array of numbers");
                    }
                    double[] xy = new double[p.size()];
                    for (int i = 0; i < xy.length; i++) {
                        if (!p.get(i).isNumber()) {
                            throw new IllegalArgumentException(
                                    "polygon coordinate " + i + " is not a number");
                        }
                        xy[i] = p.get(i).asDouble();
                    }
                    polys.add(xy);
                }
                return PolygonRasterizer.rasterize(polys, h, w);
            }
            JsonNode size = seg.get("size");
            JsonNode counts = seg.get("counts");
            if (size == null || !size.isArray() || size.size() != 2 || counts == null) {
                throw new IllegalArgumentException("RLE needs \"size\": [h, w] and \"counts\"");
            }
            int rh = size.get(0).asInt();
            int rw = size.get(1).asInt();
            if (rh != h || rw != w) {
                throw new IllegalArgumentException(
                        "RLE size " + rh + "x" + rw + " differs from image " + h + "x" + w);
            }
            if (counts.isTextual()) {
                return CocoRle.fromCompressedString(rh, rw, counts.asText()).decode();
            }
            long[] c = new long[counts.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = counts.get(i).asLong();
            }
            return new CocoRle(rh, rw, c).decode();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": bad segmentation: " + e.getMessage(), e);
        }
    }

    private static BufferedImage readImage(Path p, String where) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(where + ": image file " + p + " does not exist");
        }
        try {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new IllegalArgumentException(where + ": " + p + " is not a readable image");
            }
            return img;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    where + ": cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode array(JsonNode root, String field) {
        JsonNode a = root.get(field);
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("COCO JSON lacks the array \"" + field + "\"");
        }
        return a;
    }

    private static int requireInt(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException(
                    where + ": missing or non-integer \"" + field + "\"");
        }
        return v.asInt();
    }

    private static long requireLong(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new IllegalArgumentException(
                    where + ": missing or non-integer \"" + field + "\"");
        }
        return v.asLong();
    }
}
