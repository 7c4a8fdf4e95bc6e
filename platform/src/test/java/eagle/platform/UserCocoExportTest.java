package eagle.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import eagle.core.mask.PatchCoverage;
import eagle.core.mask.PolygonRasterizer;
import eagle.core.text.ClipBpeTokenizer;
import eagle.core.text.PromptTemplates;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user-like COCO export is what it claims (no platform needed): non-square JPEG and PNG images
 * that are not flat, polygons and both RLE forms that decode to the image size, class names with
 * spaces, edge objects that cover no patch after CLIP's centre crop at 64 and 224 px, centre
 * objects that do, tiny 2 × 2 px objects, and a class whose prompt CLIP's 77-token context cannot
 * hold.
 */
class UserCocoExportTest {

    @TempDir Path dir;

    @Test
    void theExportHoldsWhatAUsersDoes() throws IOException {
        UserCocoExport.Written w = UserCocoExport.write(dir, 8, 77);
        JsonNode root = Platform.JSON.readTree(w.json().toFile());
        Map<Long, JsonNode> images = new HashMap<>();
        Set<String> formats = new HashSet<>();
        for (JsonNode image : root.path("images")) {
            images.put(image.path("id").asLong(), image);
            BufferedImage pixels =
                    ImageIO.read(w.images().resolve(image.path("file_name").asText()).toFile());
            assertEquals(image.path("width").asInt(), pixels.getWidth());
            assertEquals(image.path("height").asInt(), pixels.getHeight());
            assertNotEquals(pixels.getWidth(), pixels.getHeight());
            assertTrue(distinctColours(pixels) > 1000, "flat image " + image);
            formats.add(image.path("file_name").asText().replaceAll(".*\\.", ""));
        }
        assertEquals(Set.of("jpg", "png"), formats);
        assertEquals(8, images.size());

        Map<Long, String> classes = new HashMap<>();
        root.path("categories")
                .forEach(c -> classes.put(c.path("id").asLong(), c.path("name").asText()));
        assertTrue(
                classes.values()
                        .containsAll(
                                List.of("traffic light", "wine glass", "fire hydrant", "hot dog")));
        assertTrue(UserCocoExport.UNPROMPTABLE_CLASS.length() <= 256);
        ClipBpeTokenizer clip = ClipBpeTokenizer.bundled();
        for (String prompt : PromptTemplates.DEFAULT.prompts(UserCocoExport.UNPROMPTABLE_CLASS)) {
            assertFalse(clip.canPrompt(prompt), prompt);
        }
        for (String name : UserCocoExport.CLASSES.keySet()) {
            assertTrue(clip.canPrompt(PromptTemplates.DEFAULT.prompts(name).get(0)), name);
        }

        int polygons = 0;
        int countLists = 0;
        int strings = 0;
        int cropped = 0;
        int tiny = 0;
        int usable = 0;
        int unpromptable = 0;
        for (JsonNode a : root.path("annotations")) {
            JsonNode image = images.get(a.path("image_id").asLong());
            int h = image.path("height").asInt();
            int w2 = image.path("width").asInt();
            JsonNode seg = a.path("segmentation");
            BinaryMask mask;
            if (seg.isArray()) {
                polygons++;
                List<double[]> polys = new ArrayList<>();
                for (JsonNode p : seg) {
                    double[] xy = new double[p.size()];
                    for (int i = 0; i < xy.length; i++) {
                        xy[i] = p.get(i).asDouble();
                    }
                    polys.add(xy);
                }
                mask = PolygonRasterizer.rasterize(polys, h, w2);
                assertEquals(0, a.path("iscrowd").asInt());
            } else {
                assertEquals(1, a.path("iscrowd").asInt());
                assertEquals(
                        List.of(h, w2),
                        List.of(seg.at("/size/0").asInt(), seg.at("/size/1").asInt()));
                JsonNode counts = seg.path("counts");
                if (counts.isTextual()) {
                    strings++;
                    mask = CocoRle.fromCompressedString(h, w2, counts.asText()).decode();
                } else {
                    countLists++;
                    long[] runs = new long[counts.size()];
                    for (int i = 0; i < runs.length; i++) {
                        runs[i] = counts.get(i).asLong();
                    }
                    mask = new CocoRle(h, w2, runs).decode();
                }
            }
            assertTrue(mask.area() > 0, a.toString());
            boolean covers64 = max(PatchCoverage.of(mask, 64, 16)) > 0;
            boolean covers224 = max(PatchCoverage.of(mask, 224, 16)) > 0;
            assertEquals(covers64, covers224, a.toString());
            if (UserCocoExport.UNPROMPTABLE_CLASS.equals(
                    classes.get(a.path("category_id").asLong()))) {
                unpromptable++;
                assertTrue(covers64);
            } else if (!covers64) {
                cropped++;
            } else if (mask.area() == 4) {
                tiny++;
                assertTrue(
                        sum(PatchCoverage.of(mask, 64, 16)) < UserCocoExport.MIN_PATCH_AREA,
                        a.toString());
            } else {
                usable++;
                assertTrue(
                        sum(PatchCoverage.of(mask, 64, 16)) >= UserCocoExport.MIN_PATCH_AREA,
                        a.toString());
            }
        }
        assertTrue(
                polygons > 0 && countLists > 0 && strings > 0,
                polygons + " " + countLists + " " + strings);
        assertEquals(w.croppedAway(), cropped);
        assertEquals(w.tiny(), tiny);
        assertEquals(w.unpromptable(), unpromptable);
        assertEquals(w.usable(), usable);
        assertTrue(cropped > 0 && tiny > 0 && unpromptable > 0);
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    private static float max(float[] values) {
        float m = 0;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
