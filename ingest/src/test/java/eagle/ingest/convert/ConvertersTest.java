package eagle.ingest.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import eagle.contracts.AnnotationEvent;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import eagle.ingest.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each converter against a hand-made export of a 3 × 4 (h × w) image. */
class ConvertersTest {

    private static final ExportDefaults DEFAULTS =
            new ExportDefaults("t-", "tool", "2025-05-01T00:00:00Z");

    @TempDir Path dir;

    private String image(String name) throws IOException {
        byte[] png = TestImages.png(3, 4, 42);
        Files.write(dir.resolve(name), png);
        return AnnotationEvent.sha256Hex(png);
    }

    /** Pixels (y, x) set in a 3 × 4 mask. */
    private static BinaryMask mask(int[]... pixels) {
        BinaryMask m = BinaryMask.empty(3, 4);
        for (int[] p : pixels) {
            m.set(p[0], p[1], true);
        }
        return m;
    }

    @Test
    void cocoInstancesFile() throws IOException {
        String sha = image("a.png");
        Files.writeString(
                dir.resolve("instances.json"),
                """
                {"images": [{"id": 7, "file_name": "a.png", "width": 4, "height": 3}],
                 "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}],
                 "annotations": [
                   {"id": 100, "image_id": 7, "category_id": 1, "iscrowd": 0, "segmentation": [[0, 0, 2, 0, 2, 2]]},
                   {"id": 101, "image_id": 7, "category_id": 2, "iscrowd": 1, "segmentation": {"size": [3, 4], "counts": [4, 1, 2, 1, 4]}},
                   {"id": 102, "image_id": 7, "category_id": 2, "iscrowd": 1, "segmentation": {"size": [3, 4], "counts": "336"}}]}
                """);
        List<AnnotationEvent> events =
                new CocoInstancesConverter()
                        .convert(
                                dir.resolve("instances.json"),
                                new FileImageResolver(dir),
                                DEFAULTS);
        assertEquals(3, events.size());
        AnnotationEvent poly = events.get(0);
        assertEquals("t-7", poly.imageId());
        assertEquals("100", poly.instanceId());
        assertEquals("cat", poly.className());
        assertArrayEquals(new double[] {0, 0, 2, 0, 2, 2}, poly.mask().polygons().get(0));
        assertEquals(
                AnnotationEvent.ImageRef.of(dir.resolve("a.png").toUri().toString(), sha),
                poly.image());
        assertArrayEquals(new long[] {4, 1, 2, 1, 4}, (long[]) events.get(1).mask().counts());
        assertEquals(List.of(3, 4), events.get(1).mask().size());
        assertEquals("336", events.get(2).mask().counts());
        assertEquals("dog", events.get(2).className());
        assertEquals("tool", poly.annotator());
    }

    @Test
    void labelStudioBrushAndPolygon() throws IOException {
        String sha = image("b.png");
        BinaryMask brush = mask(new int[] {0, 2}, new int[] {1, 1});
        StringBuilder rle = new StringBuilder();
        for (int v : LabelStudioRle.encode(brush)) {
            rle.append(rle.isEmpty() ? "" : ",").append(v);
        }
        Files.writeString(
                dir.resolve("ls.json"),
                """
                [{"id": 5, "data": {"image": "/data/upload/1/b.png"},
                  "annotations": [{"id": 9, "completed_by": {"id": 1, "email": "ann@example.org"},
                    "created_at": "2025-04-01T12:00:00.5Z",
                    "result": [
                      {"id": "r1", "type": "brushlabels", "original_width": 4, "original_height": 3,
                       "value": {"format": "rle", "rle": [%s], "brushlabels": ["cat"]}},
                      {"id": "r2", "type": "polygonlabels", "original_width": 4, "original_height": 3,
                       "value": {"points": [[0, 0], [50, 0], [50, 100]], "polygonlabels": ["dog"]}},
                      {"id": "r3", "type": "choices", "value": {"choices": ["x"]}}]}]}]
                """
                        .formatted(rle));
        List<AnnotationEvent> events =
                new LabelStudioConverter()
                        .convert(dir.resolve("ls.json"), new FileImageResolver(dir), DEFAULTS);
        assertEquals(2, events.size());
        AnnotationEvent b = events.get(0);
        assertEquals("t-5", b.imageId());
        assertEquals("9/r1", b.instanceId());
        assertEquals("ann@example.org", b.annotator());
        assertEquals("2025-04-01T12:00:00.5Z", b.time());
        assertEquals(sha, b.image().sha256());
        // pixels (y=1,x=1) and (y=0,x=2) at column-major indices x·3+y = 4 and 6: runs [4, 1, 1, 1,
        // 5]
        assertEquals(
                new CocoRle(3, 4, new long[] {4, 1, 1, 1, 5}).toCompressedString(),
                b.mask().counts());
        AnnotationEvent p = events.get(1);
        assertEquals("dog", p.className());
        // percent → pixels: x = 50 % of 4 = 2, y = 100 % of 3 = 3
        assertArrayEquals(new double[] {0, 0, 2, 0, 2, 3}, p.mask().polygons().get(0));
    }

    @Test
    void cvatMaskAndPolygon() throws IOException {
        image("c.png");
        Files.writeString(
                dir.resolve("cvat.xml"),
                """
                <?xml version="1.0" encoding="utf-8"?>
                <annotations><version>1.1</version>
                  <image id="3" name="c.png" width="4" height="3">
                    <mask label="cat" source="manual" occluded="0" rle="1, 2, 3" left="1" top="0" width="2" height="3" z_order="0"></mask>
                    <polygon label="dog" source="manual" occluded="0" points="0.00,0.00;2.00,0.00;2.00,2.00" z_order="0"></polygon>
                  </image>
                </annotations>
                """);
        List<AnnotationEvent> events =
                new CvatConverter()
                        .convert(dir.resolve("cvat.xml"), new FileImageResolver(dir), DEFAULTS);
        assertEquals(2, events.size());
        // box 2 wide at x=1: row-major runs 1 off, 2 on, 3 off → box (0,1), (1,0) → image (0,2),
        // (1,1)
        // column-major indices 4 and 6: runs [4, 1, 1, 1, 5]
        assertEquals(
                new CocoRle(3, 4, new long[] {4, 1, 1, 1, 5}).toCompressedString(),
                events.get(0).mask().counts());
        assertEquals("t-3", events.get(0).imageId());
        assertEquals("mask-0", events.get(0).instanceId());
        assertEquals("polygon-1", events.get(1).instanceId());
        assertArrayEquals(new double[] {0, 0, 2, 0, 2, 2}, events.get(1).mask().polygons().get(0));
        assertNull(events.get(1).mask().counts());
    }

    @Test
    void openImagesMasksCsvAndPng() throws IOException {
        image("0a1b.jpg");
        // a 6 × 8 mask PNG (twice the image): on where y ∈ {0,1} and x ∈ {4,5} → image pixel (0, 2)
        BufferedImage png = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 2; y++) {
            for (int x = 4; x < 6; x++) {
                png.getRaster().setSample(x, y, 0, 255);
            }
        }
        Files.createDirectories(dir.resolve("masks"));
        ImageIO.write(png, "png", dir.resolve("masks").resolve("0a1b_m01yrx_abc.png").toFile());
        Files.writeString(
                dir.resolve("masks.csv"),
                """
                MaskPath,ImageID,LabelName,BoxID,BoxXMin,BoxXMax,BoxYMin,BoxYMax,PredictedIoU,Clicks
                0a1b_m01yrx_abc.png,0a1b,/m/01yrx,abc,0.5,0.75,0.0,0.33,0.9,
                """);
        Files.writeString(
                dir.resolve("classes.csv"), "LabelName,DisplayName\n/m/01yrx,\"Cat, domestic\"\n");
        List<AnnotationEvent> events =
                new OpenImagesConverter(dir.resolve("masks"), dir.resolve("classes.csv"))
                        .convert(dir.resolve("masks.csv"), new FileImageResolver(dir), DEFAULTS);
        assertEquals(1, events.size());
        AnnotationEvent e = events.get(0);
        assertEquals("Cat, domestic", e.className());
        assertEquals("t-0a1b", e.imageId());
        assertEquals("abc", e.instanceId());
        assertEquals(List.of(3, 4), e.mask().size());
        // image pixel (0, 2) alone: column-major runs [6, 1, 5]
        assertEquals(
                new CocoRle(3, 4, new long[] {6, 1, 5}).toCompressedString(), e.mask().counts());
    }
}
