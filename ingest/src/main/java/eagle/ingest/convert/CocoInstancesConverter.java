package eagle.ingest.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.AnnotationEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole COCO instances JSON file ({@code images}, {@code annotations}, {@code categories}) → one
 * event per annotation. Polygons stay polygons (size = the image's); RLE ({@code iscrowd}) keeps
 * its counts list or compressed string. Image id = prefix + COCO image id; instance id = COCO
 * annotation id.
 */
public final class CocoInstancesConverter {

    private final ObjectMapper json = new ObjectMapper();

    public List<AnnotationEvent> convert(Path file, ImageResolver images, ExportDefaults defaults)
            throws IOException {
        JsonNode root = json.readTree(file.toFile());
        Map<Long, String> classes = new HashMap<>();
        root.path("categories")
                .forEach(c -> classes.put(c.get("id").asLong(), c.get("name").asText()));
        Map<Long, JsonNode> imagesById = new HashMap<>();
        root.path("images").forEach(i -> imagesById.put(i.get("id").asLong(), i));
        Map<Long, AnnotationEvent.ImageRef> refs = new HashMap<>();
        List<AnnotationEvent> out = new ArrayList<>();
        for (JsonNode a : root.path("annotations")) {
            long imageId = a.get("image_id").asLong();
            JsonNode image = imagesById.get(imageId);
            if (image == null) {
                throw new IOException(
                        "annotation " + a.get("id") + " names unknown image " + imageId);
            }
            String className = classes.get(a.get("category_id").asLong());
            if (className == null) {
                throw new IOException(
                        "annotation "
                                + a.get("id")
                                + " names unknown category "
                                + a.get("category_id"));
            }
            AnnotationEvent.ImageRef ref = refs.get(imageId);
            if (ref == null) {
                ref =
                        images.resolve(
                                image.hasNonNull("coco_url") && !image.has("file_name")
                                        ? image.get("coco_url").asText()
                                        : image.get("file_name").asText());
                refs.put(imageId, ref);
            }
            out.add(
                    new AnnotationEvent(
                            AnnotationEvent.SCHEMA_VERSION,
                            defaults.idPrefix() + imageId,
                            a.get("id").asText(),
                            className,
                            mask(a.get("segmentation")),
                            ref,
                            defaults.annotator(),
                            defaults.time()));
        }
        return out;
    }

    static AnnotationEvent.Mask mask(JsonNode segmentation) throws IOException {
        if (segmentation.isArray()) {
            List<double[]> polygons = new ArrayList<>();
            for (JsonNode poly : segmentation) {
                double[] xy = new double[poly.size()];
                for (int i = 0; i < xy.length; i++) {
                    xy[i] = poly.get(i).asDouble();
                }
                polygons.add(xy);
            }
            return AnnotationEvent.Mask.polygons(polygons);
        }
        int height = segmentation.at("/size/0").asInt();
        int width = segmentation.at("/size/1").asInt();
        JsonNode counts = segmentation.get("counts");
        if (counts == null) {
            throw new IOException("segmentation is neither polygons nor RLE: " + segmentation);
        }
        if (counts.isTextual()) {
            return AnnotationEvent.Mask.rle(height, width, counts.asText());
        }
        long[] runs = new long[counts.size()];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = counts.get(i).asLong();
        }
        return AnnotationEvent.Mask.rle(height, width, runs);
    }
}
