package eagle.scenes.coco;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.mask.CocoRle;
import eagle.scenes.Instance;
import eagle.scenes.ObjectClass;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.Taxonomy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes scenes as a COCO instance data set: {@code DIR/annotations.json} and one PNG per image
 * beside it ({@code DIR/000000.png}, …). Image ids are 1, 2, …; category id = taxonomy id + 1 (COCO
 * ids start at 1), supercategory = the shape; each annotation's segmentation is compressed RLE
 * {"size": [h, w], "counts": "…"} ({@link CocoRle}), with area, bbox [x, y, w, h], iscrowd 0 and
 * our "instance_id". Images also carry "seed", "caption", "scene_type" and "background", which COCO
 * readers ignore.
 */
public final class CocoExport {

    public static final String ANNOTATIONS = "annotations.json";

    private CocoExport() {}

    /** Writes the data set and returns the JSON's path. */
    public static Path write(List<Scene> scenes, Taxonomy taxonomy, Path dir) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ObjectNode info = root.putObject("info");
        info.put("description", "EAGLE synthetic annotated scenes");
        info.put("version", SceneGenerator.VERSION);
        info.put("prompt_template", taxonomy.template());
        ArrayNode images = root.putArray("images");
        ArrayNode anns = root.putArray("annotations");
        ArrayNode cats = root.putArray("categories");
        for (ObjectClass c : taxonomy.classes()) {
            ObjectNode o = cats.addObject();
            o.put("id", c.id() + 1);
            o.put("name", c.name());
            o.put("supercategory", c.shape().word());
        }
        try {
            Files.createDirectories(dir);
            long annId = 1;
            for (int i = 0; i < scenes.size(); i++) {
                Scene s = scenes.get(i);
                String file = String.format("%06d.png", i);
                if (!ImageIO.write(s.image(), "png", dir.resolve(file).toFile())) {
                    throw new IllegalStateException("no PNG writer for image " + i);
                }
                ObjectNode im = images.addObject();
                im.put("id", i + 1);
                im.put("file_name", file);
                im.put("width", s.image().getWidth());
                im.put("height", s.image().getHeight());
                im.put("seed", s.seed());
                im.put("caption", s.caption());
                im.put("scene_type", s.sceneType());
                im.put("background", s.background());
                for (Instance in : s.instances()) {
                    ObjectNode a = anns.addObject();
                    a.put("id", annId++);
                    a.put("image_id", i + 1);
                    a.put("category_id", in.classId() + 1);
                    ObjectNode seg = a.putObject("segmentation");
                    seg.putArray("size").add(in.mask().height()).add(in.mask().width());
                    seg.put("counts", CocoRle.encode(in.mask()).toCompressedString());
                    a.put("area", in.mask().area());
                    ArrayNode bbox = a.putArray("bbox");
                    for (int v : in.mask().boundingBox()) {
                        bbox.add(v);
                    }
                    a.put("iscrowd", 0);
                    a.put("instance_id", in.instanceId());
                }
            }
            Path out = dir.resolve(ANNOTATIONS);
            json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write COCO export to " + dir, e);
        }
    }
}
