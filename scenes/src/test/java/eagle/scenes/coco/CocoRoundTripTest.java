package eagle.scenes.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.mask.BinaryMask;
import eagle.scenes.Instance;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.cli.ExportCoco;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoRoundTripTest {

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void exportThenImportGivesEqualMasksClassesAndPixels(@TempDir Path dir) {
        SceneGenerator gen = SceneGenerator.standard();
        List<Scene> scenes = new ArrayList<>();
        for (long s = 100; s < 110; s++) {
            scenes.add(gen.generate(s));
        }
        Path json = CocoExport.write(scenes, gen.taxonomy(), dir);
        CocoDataset ds = CocoImport.read(json);
        assertEquals(gen.taxonomy().names(), ds.categoryNames());
        assertEquals(scenes.size(), ds.images().size());
        for (int i = 0; i < scenes.size(); i++) {
            Scene s = scenes.get(i);
            AnnotatedImage im = ds.images().get(i);
            assertArrayEquals(pixels(s.image()), pixels(im.image()));
            assertEquals(s.caption(), im.caption());
            assertEquals(s.instances(), im.instances()); // ids, class ids, names and masks
        }
    }

    @Test
    void readsPolygonsAndUncompressedRle(@TempDir Path dir) throws Exception {
        // 4x5 image (h=4, w=5). Polygon: the square [1,3]x[0,2] covers pixel centres x∈{1,2},
        // y∈{0,1}.
        // Uncompressed RLE, column-major: 4 zeros (column 0), 2 ones (column 1, rows 0-1), 14
        // zeros.
        String json =
                """
            {"images": [{"id": 7, "file_name": "a.png", "width": 5, "height": 4}],
             "categories": [{"id": 90, "name": "zebra"}, {"id": 3, "name": "car"}],
             "annotations": [
               {"id": 1, "image_id": 7, "category_id": 90, "segmentation": [[1, 0, 3, 0, 3, 2, 1, 2]]},
               {"id": 2, "image_id": 7, "category_id": 3, "segmentation": {"size": [4, 5], "counts": [4, 2, 14]}}
             ]}""";
        Files.writeString(dir.resolve("a.json"), json);
        CocoDataset ds = CocoImport.read(dir.resolve("a.json"), dir, false);
        assertEquals(List.of("car", "zebra"), ds.categoryNames()); // sorted by COCO id
        List<Instance> in = ds.images().get(0).instances();
        BinaryMask poly = BinaryMask.empty(4, 5);
        poly.set(0, 1, true);
        poly.set(0, 2, true);
        poly.set(1, 1, true);
        poly.set(1, 2, true);
        assertEquals(poly, in.get(0).mask());
        assertEquals(1, in.get(0).classId());
        assertEquals("zebra", in.get(0).className());
        BinaryMask rle = BinaryMask.empty(4, 5);
        rle.set(0, 1, true);
        rle.set(1, 1, true);
        assertEquals(rle, in.get(1).mask());
        assertEquals(0, in.get(1).classId());
    }

    @Test
    void malformedInputNamesTheProblem(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("b.json"),
                """
            {"images": [{"id": 1, "file_name": "a.png", "width": 5, "height": 4}],
             "categories": [{"id": 1, "name": "x"}],
             "annotations": [{"id": 9, "image_id": 1, "category_id": 2, "segmentation": []}]}""");
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoImport.read(dir.resolve("b.json"), dir, false));
        assertTrue(
                e.getMessage().contains("annotation 9") && e.getMessage().contains("category_id 2"),
                e.getMessage());
        Files.writeString(
                dir.resolve("c.json"),
                """
            {"images": [{"id": 1, "file_name": "a.png", "width": 5, "height": 4}],
             "categories": [{"id": 1, "name": "x"}],
             "annotations": [{"id": 4, "image_id": 1, "category_id": 1, "segmentation": {"size": [4, 5], "counts": [3, 2]}}]}""");
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoImport.read(dir.resolve("c.json"), dir, false));
        assertTrue(e.getMessage().startsWith("annotation 4: bad segmentation"), e.getMessage());
    }

    @Test
    void cliWritesAnExportAndRefusesSuiteSeeds(@TempDir Path dir) {
        Path json =
                ExportCoco.run(
                        new String[] {
                            "--seed", "5", "--count", "3", "--size", "48", "--out", dir.toString()
                        });
        CocoDataset ds = CocoImport.read(json);
        assertEquals(3, ds.images().size());
        assertEquals(48, ds.images().get(0).width());
        assertEquals(
                SceneGenerator.standard(48).generate(6).instances(),
                ds.images().get(1).instances());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ExportCoco.run(
                                new String[] {
                                    "--seed",
                                    Long.toString(1L << 50),
                                    "--count",
                                    "1",
                                    "--out",
                                    dir.toString()
                                }));
    }
}
