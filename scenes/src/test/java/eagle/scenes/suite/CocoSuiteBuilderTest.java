package eagle.scenes.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import eagle.scenes.Taxonomy;
import eagle.scenes.coco.AnnotatedImage;
import eagle.scenes.coco.CocoImport;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A COCO-format held-out set of non-square JPEG and PNG images with polygons, uncompressed and
 * compressed RLE and a crowd annotation; categories 1 dog, 2 cat, 3 person (indices 0, 1, 2).
 *
 * <pre>
 * image 1  96×64 JPEG  dog (left third), cat (right third)
 * image 2  64×80 PNG   two dogs
 * image 3  80×60 JPEG  dog (right third, uncompressed RLE)
 * image 4  60×60 PNG   a crowd of people (RLE), dog (middle)
 * image 5  70×50 JPEG  cat (left third, compressed RLE)
 * image 6  50×50 PNG   nothing
 * </pre>
 */
class CocoSuiteBuilderTest {

    @TempDir Path dir;

    private static final CocoSuiteConfig CFG =
            new CocoSuiteConfig(0.2, 50, 20, 0.1, 0, Taxonomy.DEFAULT_TEMPLATE);

    @Test
    void mmvpPairsAreTheOnesTheAnnotationsAllow() throws IOException {
        List<AnnotatedImage> images =
                CocoImport.read(write(IMAGES, ANNOTATIONS), dir, true).images();
        List<String> names = List.of("dog", "cat", "person");
        // count: dog 1 in images 1, 3, 4 (the crowd is of people), dog 2 in image 2; cat 1 only;
        // people: crowd
        assertEquals(
                List.of("1|2|a photo of a dog|a photo of two dogs"),
                render(CocoMmvpPairs.count(images, names, 50)));
        // presence (c, d): an image with d and c vs one with d without c, first ids first
        assertEquals(
                List.of(
                        "1|5|a photo of a cat and a dog|a photo of a cat",
                        "1|2|a photo of a dog and a cat|a photo of a dog",
                        "4|1|a photo of a dog and a person|a photo of a dog"),
                render(CocoMmvpPairs.presence(images, names, 50)));
        // position: single dog left in 1, right in 3 (4's is in the middle, 2 has two); cat left in
        // 5, right in 1
        assertEquals(
                List.of(
                        "1|3|a photo of a dog on the left|a photo of a dog on the right",
                        "5|1|a photo of a cat on the left|a photo of a cat on the right"),
                render(CocoMmvpPairs.position(images, names, 50)));
        assertEquals(1, CocoMmvpPairs.presence(images, names, 1).size(), "at most perKind pairs");
    }

    @Test
    void buildsSplitsItemsAndPairsWithAContentDigest() throws IOException {
        Path json = write(IMAGES, ANNOTATIONS);
        CocoSuite s = CocoSuiteBuilder.build(json, dir, CFG);
        assertEquals(List.of("dog", "cat", "person"), s.classNames());
        assertEquals("This is an image of a cat", s.classPrompts().get(1));
        Set<Long> cal = ids(s.calibration());
        Set<Long> eval = ids(s.pope());
        assertFalse(cal.isEmpty());
        assertFalse(eval.isEmpty());
        Set<Long> all = new HashSet<>(cal);
        all.addAll(eval);
        assertEquals(
                cal.size() + eval.size(), all.size(), "calibration and evaluation are disjoint");
        assertEquals(
                Set.of(1L, 2L, 3L, 4L, 5L), all, "every annotated image, the empty one left out");
        assertEquals(6, s.sizes().get("images"));
        assertEquals(1, s.sizes().get("images_without_annotation"));
        // zero-shot: every non-crowd instance of an evaluation image, masked, labelled by its
        // category
        int expectedItems = 0;
        int crowd = 0;
        for (var scene : s.pope().images()) {
            expectedItems +=
                    (int) scene.instances().stream().filter(in -> in.classId() != 2).count();
            crowd += (int) scene.instances().stream().filter(in -> in.classId() == 2).count();
        }
        assertEquals(expectedItems, s.zeroShotItems().size());
        assertEquals(crowd, s.sizes().get("zeroshot_left_out.crowd"));
        for (ZeroShotItem it : s.zeroShotItems()) {
            assertNotNull(it.mask());
            assertTrue(it.label() == 0 || it.label() == 1);
            assertTrue(it.clsImage().getWidth() <= it.image().getWidth());
        }
        // the same files give the same id; one changed pixel gives another
        assertEquals(s.id(), CocoSuiteBuilder.build(json, dir, CFG).id());
        assertEquals(16, s.id().length());
        BufferedImage img = ImageIO.read(dir.resolve("2.png").toFile());
        img.setRGB(0, 0, 0x123456);
        ImageIO.write(img, "png", dir.resolve("2.png").toFile());
        assertNotEquals(s.id(), CocoSuiteBuilder.build(json, dir, CFG).id());
        assertNotEquals(
                s.id(),
                CocoSuiteBuilder.build(
                                json,
                                dir,
                                new CocoSuiteConfig(0.5, 50, 20, 0.1, 0, Taxonomy.DEFAULT_TEMPLATE))
                        .id());
    }

    @Test
    void theSuiteRunsAndReportsSizesAndIntervals() throws IOException {
        CocoSuite s = CocoSuiteBuilder.build(write(IMAGES, ANNOTATIONS), dir, CFG);
        SuiteResult r =
                SuiteRunner.run(
                        new MeanColourEncoder(),
                        s,
                        new SuiteRunner.Options(
                                4,
                                SuiteRunner.MmvpRepresentation.MAX_PATCH,
                                new eagle.core.eval.Bootstrap.Options(50, 0.95, 0)));
        assertEquals(s.id(), r.suiteId());
        assertEquals(s.zeroShotItems().size(), r.counts().get("zeroshot_images"));
        assertEquals(s.mmvp().size(), r.counts().get("mmvp_pairs"));
        for (String metric :
                List.of(
                        "zeroshot_cls",
                        "zeroshot_seq",
                        "pope.adversarial.f1",
                        "mmvp.pair_accuracy")) {
            assertTrue(r.ci().containsKey(metric), metric);
        }
    }

    @Test
    void aMissingImageIsNamed() throws IOException {
        Path json = write(IMAGES, ANNOTATIONS);
        Files.delete(dir.resolve("3.jpg"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoSuiteBuilder.build(json, dir, CFG));
        assertTrue(
                e.getMessage().contains("image 3") && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    @Test
    void anUnknownCategoryIsNamed() throws IOException {
        Path json =
                write(IMAGES, ANNOTATIONS.replace("\"category_id\": 2,", "\"category_id\": 9,"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoSuiteBuilder.build(json, dir, CFG));
        assertTrue(e.getMessage().contains("unknown category_id 9"), e.getMessage());
    }

    @Test
    void aMalformedPolygonIsNamed() throws IOException {
        Path json =
                write(
                        IMAGES,
                        ANNOTATIONS.replace(
                                "[[4, 20, 28, 20, 28, 44, 4, 44]]", "[[4, 20, 28, 20, 28]]"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoSuiteBuilder.build(json, dir, CFG));
        assertTrue(
                e.getMessage().contains("annotation 11")
                        && e.getMessage().contains("bad segmentation"),
                e.getMessage());
    }

    @Test
    void aMalformedRleIsNamed() throws IOException {
        Path json = write(IMAGES, ANNOTATIONS.replace(rleCounts(), "[4800, 100]"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoSuiteBuilder.build(json, dir, CFG));
        assertTrue(
                e.getMessage().contains("annotation 31") && e.getMessage().contains("RLE"),
                e.getMessage());
        Path json2 = write(IMAGES, ANNOTATIONS.replace(compressed(), "!!"));
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoSuiteBuilder.build(json2, dir, CFG));
        assertTrue(e.getMessage().contains("annotation 51"), e.getMessage());
    }

    @Test
    void anEmptySetIsRefused() throws IOException {
        Path json = write(IMAGES, "");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoSuiteBuilder.build(json, dir, CFG));
        assertTrue(e.getMessage().contains("at least 2 annotated images"), e.getMessage());
    }

    @Test
    void aSetWithoutAnyMmvpPairIsRefused() throws IOException {
        // two images, one centred dog each: no count, presence or position pair
        Path json =
                write(
                        """
                {"id": 1, "file_name": "1.jpg", "width": 96, "height": 64},
                {"id": 2, "file_name": "2.png", "width": 64, "height": 80}
                """,
                        """
                {"id": 11, "image_id": 1, "category_id": 1, "iscrowd": 0, "segmentation": [[40, 20, 56, 20, 56, 44, 40, 44]]},
                {"id": 21, "image_id": 2, "category_id": 1, "iscrowd": 0, "segmentation": [[24, 30, 40, 30, 40, 50, 24, 50]]}
                """);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CocoSuiteBuilder.build(json, dir, CFG));
        assertTrue(
                e.getMessage().contains("too small") && e.getMessage().contains("0 MMVP pairs"),
                e.getMessage());
    }

    // ---- the hand-made set ----

    private static final String IMAGES =
            """
            {"id": 1, "file_name": "1.jpg", "width": 96, "height": 64},
            {"id": 2, "file_name": "2.png", "width": 64, "height": 80},
            {"id": 3, "file_name": "3.jpg", "width": 80, "height": 60},
            {"id": 4, "file_name": "4.png", "width": 60, "height": 60},
            {"id": 5, "file_name": "5.jpg", "width": 70, "height": 50},
            {"id": 6, "file_name": "6.png", "width": 50, "height": 50}
            """;

    private static final String ANNOTATIONS =
            """
            {"id": 11, "image_id": 1, "category_id": 1, "iscrowd": 0, "segmentation": [[4, 20, 28, 20, 28, 44, 4, 44]]},
            {"id": 12, "image_id": 1, "category_id": 2, "iscrowd": 0, "segmentation": [[70, 10, 90, 10, 90, 40, 70, 40]]},
            {"id": 21, "image_id": 2, "category_id": 1, "iscrowd": 0, "segmentation": [[4, 4, 30, 4, 30, 30, 4, 30]]},
            {"id": 22, "image_id": 2, "category_id": 1, "iscrowd": 0, "segmentation": [[34, 40, 60, 40, 60, 76, 34, 76]]},
            {"id": 31, "image_id": 3, "category_id": 1, "iscrowd": 0, "segmentation": {"size": [60, 80], "counts": RLE}},
            {"id": 41, "image_id": 4, "category_id": 3, "iscrowd": 1, "segmentation": {"size": [60, 60], "counts": [0, 600, 3000]}},
            {"id": 42, "image_id": 4, "category_id": 1, "iscrowd": 0, "segmentation": [[20, 30, 40, 30, 40, 55, 20, 55]]},
            {"id": 51, "image_id": 5, "category_id": 2, "iscrowd": 0, "segmentation": {"size": [50, 70], "counts": "STR"}}
            """
                    .replace("RLE", rleCounts())
                    .replace("STR", compressed());

    /** Image 3's dog: x 60..75, y 20..39 as uncompressed (column-major) RLE. */
    private static String rleCounts() {
        return java.util.Arrays.toString(CocoRle.encode(box(60, 80, 60, 20, 16, 20)).counts());
    }

    /** Image 5's cat: x 5..20, y 10..34 as a compressed RLE string, escaped for JSON. */
    private static String compressed() {
        return CocoRle.encode(box(50, 70, 5, 10, 16, 25))
                .toCompressedString()
                .replace("\\", "\\\\")
                .replace("\"", "\\\"");
    }

    private static BinaryMask box(int h, int w, int x0, int y0, int bw, int bh) {
        BinaryMask m = BinaryMask.empty(h, w);
        for (int y = y0; y < y0 + bh; y++) {
            for (int x = x0; x < x0 + bw; x++) {
                m.set(y, x, true);
            }
        }
        return m;
    }

    /**
     * Writes the images (JPEG or PNG by name, a coloured block per image) and the JSON; returns the
     * JSON.
     */
    private Path write(String images, String annotations) throws IOException {
        for (String line : images.strip().split("\n")) {
            String file = line.replaceAll(".*\"file_name\": \"([^\"]+)\".*", "$1");
            int w = Integer.parseInt(line.replaceAll(".*\"width\": (\\d+).*", "$1"));
            int h = Integer.parseInt(line.replaceAll(".*\"height\": (\\d+).*", "$1"));
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(40 * file.charAt(0) % 255, 90, 160));
            g.fillRect(w / 4, h / 4, w / 2, h / 2);
            g.dispose();
            assertTrue(
                    ImageIO.write(
                            img,
                            file.endsWith(".png") ? "png" : "jpg",
                            dir.resolve(file).toFile()));
        }
        Path json = dir.resolve("instances.json");
        Files.writeString(
                json,
                "{\"images\": ["
                        + images
                        + "], \"annotations\": ["
                        + annotations
                        + "], \"categories\": [{\"id\": 1, \"name\": \"dog\"}, {\"id\": 2, \"name\": \"cat\"},"
                        + " {\"id\": 3, \"name\": \"person\"}]}");
        return json;
    }

    private static List<String> render(List<MmvpPair> pairs) {
        return pairs.stream()
                .map(
                        p ->
                                p.first().seed()
                                        + "|"
                                        + p.second().seed()
                                        + "|"
                                        + p.firstStatement()
                                        + "|"
                                        + p.secondStatement())
                .toList();
    }

    private static Set<Long> ids(PopeSet set) {
        Set<Long> s = new HashSet<>();
        set.images().forEach(im -> s.add(im.seed()));
        return s;
    }

    /**
     * Features from mean colours: CLS (3), 2×2 patches of their quadrants' colours, texts by hash;
     * S = 32.
     */
    private static final class MeanColourEncoder implements SuiteEncoder {

        @Override
        public float[][] imageCls(List<BufferedImage> images) {
            return images.stream()
                    .map(im -> mean(im, 0, 0, im.getWidth(), im.getHeight()))
                    .toArray(float[][]::new);
        }

        @Override
        public float[][][] imagePatches(List<BufferedImage> images) {
            float[][][] out = new float[images.size()][4][];
            for (int b = 0; b < images.size(); b++) {
                BufferedImage im = images.get(b);
                int hw = im.getWidth() / 2;
                int hh = im.getHeight() / 2;
                for (int p = 0; p < 4; p++) {
                    out[b][p] = mean(im, (p % 2) * hw, (p / 2) * hh, hw, hh);
                }
            }
            return out;
        }

        @Override
        public float[][] texts(List<String> prompts) {
            return prompts.stream()
                    .map(
                            t ->
                                    new float[] {
                                        1 + (t.hashCode() & 7),
                                        1 + (t.hashCode() >> 3 & 7),
                                        1 + (t.hashCode() >> 6 & 7)
                                    })
                    .toArray(float[][]::new);
        }

        @Override
        public int inputSize() {
            return 32;
        }

        private static float[] mean(BufferedImage im, int x0, int y0, int w, int h) {
            float[] m = new float[3];
            for (int y = y0; y < y0 + h; y++) {
                for (int x = x0; x < x0 + w; x++) {
                    int rgb = im.getRGB(x, y);
                    m[0] += ((rgb >> 16) & 255) + 1;
                    m[1] += ((rgb >> 8) & 255) + 1;
                    m[2] += (rgb & 255) + 1;
                }
            }
            return m;
        }
    }
}
