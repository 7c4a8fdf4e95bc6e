package eagle.scenes.suite;

import eagle.scenes.CooccurrenceStats;
import eagle.scenes.Instance;
import eagle.scenes.Scene;
import eagle.scenes.coco.AnnotatedImage;
import eagle.scenes.coco.CocoDataset;
import eagle.scenes.coco.CocoImport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * Builds a {@link CocoSuite} from a COCO instances JSON and its image folder (docs/METHOD.md §6),
 * parsed by {@link CocoImport} (polygons, RLE counts and strings, iscrowd; any image format ImageIO
 * reads, JPEG and PNG of any size).
 *
 * <ul>
 *   <li><b>split</b>: an image is a calibration image iff u(seed, image id) &lt;
 *       calibrationFraction, u a hash in [0, 1), so an image keeps its side when others are added
 *       or removed; when a side would be empty, the annotated image with the smallest (largest) u
 *       moves to it. Only annotated images are used.
 *   <li><b>POPE</b> on each side: {@link PopeConstruction} with the statistics of the whole set.
 *   <li><b>zero-shot</b>: one item per non-crowd instance of at least minInstancePixels pixels on
 *       the evaluation side. Seq pools the instance's patches of the whole image (masked average
 *       pooling, docs/METHOD.md §2), the method's own instance representation; CLS classifies the
 *       instance's crop (its box grown by cropMargin, square where the image allows), because the
 *       whole image's CLS would describe every object in it and the label would be ambiguous.
 *   <li><b>MMVP</b> pairs of evaluation images (at most mmvpPairsPerKind of each kind, images by
 *       id): COUNT: n vs n+1 non-crowd instances of a category (1 ≤ n ≤ 3, no crowd of it in
 *       either); POSITION: a single instance of a category whose box centre lies in the left third
 *       vs the right third; PRESENCE: an image with categories c and d vs one with d and without c.
 * </ul>
 *
 * Bad input fails with an {@link IllegalArgumentException} saying what is wrong: a missing or
 * unreadable image, a category id not among the categories, a malformed polygon or RLE ({@link
 * CocoImport}), a set with fewer than two annotated images, or one whose evaluation side gives no
 * zero-shot item or no MMVP pair (the suite's metrics would be undefined).
 */
public final class CocoSuiteBuilder {

    /** Part of the digest: bump when the construction changes. */
    static final String VERSION = "coco-suite-1";

    private CocoSuiteBuilder() {}

    /** Reads and builds; {@code imageDir} holds the files the JSON's file_name fields name. */
    public static CocoSuite build(Path annotations, Path imageDir, CocoSuiteConfig cfg) {
        if (!Files.isRegularFile(annotations)) {
            throw new IllegalArgumentException(
                    "COCO annotations file " + annotations + " does not exist");
        }
        CocoDataset set = CocoImport.read(annotations, imageDir, true);
        return build(set, digest(annotations, imageDir, set, cfg), cfg);
    }

    /** Builds from a data set already read (with its pixels) under the given id. */
    public static CocoSuite build(CocoDataset set, String id, CocoSuiteConfig cfg) {
        List<AnnotatedImage> annotated =
                set.images().stream().filter(i -> !i.instances().isEmpty()).toList();
        if (annotated.size() < 2) {
            throw new IllegalArgumentException(
                    "a COCO held-out set needs at least 2 annotated images (one to"
                            + " calibrate, one to evaluate), got "
                            + annotated.size()
                            + " of "
                            + set.images().size()
                            + " images");
        }
        for (AnnotatedImage im : annotated) {
            if (im.image() == null) {
                throw new IllegalArgumentException("image " + im.id() + " has no pixels");
            }
        }
        int classes = set.categories().size();
        List<SortedSet<Integer>> presentAll =
                set.images().stream().map(PopeConstruction::present).toList();
        CooccurrenceStats stats = CooccurrenceStats.ofPresence(presentAll, classes);

        List<AnnotatedImage> calibration = new ArrayList<>();
        List<AnnotatedImage> evaluation = new ArrayList<>();
        AnnotatedImage lowest = null;
        AnnotatedImage highest = null;
        for (AnnotatedImage im : annotated) {
            double u = unit(cfg.seed(), im.id());
            (u < cfg.calibrationFraction() ? calibration : evaluation).add(im);
            if (lowest == null || u < unit(cfg.seed(), lowest.id())) {
                lowest = im;
            }
            if (highest == null || u > unit(cfg.seed(), highest.id())) {
                highest = im;
            }
        }
        if (calibration.isEmpty()) {
            evaluation.remove(lowest);
            calibration.add(lowest);
        } else if (evaluation.isEmpty()) {
            calibration.remove(highest);
            evaluation.add(highest);
        }

        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("images", set.images().size());
        sizes.put("images_without_annotation", set.images().size() - annotated.size());
        sizes.put("calibration_images", calibration.size());
        sizes.put("evaluation_images", evaluation.size());
        PopeSet pope = popeSet(evaluation, classes, stats, cfg.seed());
        PopeSet cal = popeSet(calibration, classes, stats, cfg.seed());

        List<ZeroShotItem> items = new ArrayList<>();
        int small = 0;
        int crowd = 0;
        for (AnnotatedImage im : evaluation) {
            for (Instance in : im.instances()) {
                if (im.isCrowd(in)) {
                    crowd++;
                } else if (in.mask().area() < cfg.minInstancePixels()) {
                    small++;
                } else {
                    items.add(
                            new ZeroShotItem(
                                    crop(im.image(), in.mask().boundingBox(), cfg.cropMargin()),
                                    im.image(),
                                    in.mask(),
                                    in.classId()));
                }
            }
        }
        sizes.put("zeroshot_items", items.size());
        sizes.put("zeroshot_left_out.crowd", crowd);
        sizes.put("zeroshot_left_out.small", small);

        List<MmvpPair> mmvp =
                CocoMmvpPairs.pairs(evaluation, set.categoryNames(), cfg.mmvpPairsPerKind());
        for (MmvpKind k : MmvpKind.values()) {
            long n = mmvp.stream().filter(p -> p.kind() == k).count();
            if (n > 0) {
                sizes.put("mmvp_pairs." + k.key(), (int) n);
            }
        }
        if (items.isEmpty() || mmvp.isEmpty()) {
            throw new IllegalArgumentException(
                    "the COCO held-out set is too small: its "
                            + evaluation.size()
                            + " evaluation images give "
                            + items.size()
                            + " zero-shot items (non-crowd instances of at least "
                            + cfg.minInstancePixels()
                            + " pixels) and "
                            + mmvp.size()
                            + " MMVP pairs; each needs at least one");
        }
        return new CocoSuite(
                id, set.categoryNames(), cfg.template(), items, pope, cal, mmvp, stats, sizes);
    }

    private static PopeSet popeSet(
            List<AnnotatedImage> images, int classes, CooccurrenceStats stats, long seed) {
        long[] ids = images.stream().mapToLong(AnnotatedImage::id).toArray();
        List<SortedSet<Integer>> present = images.stream().map(PopeConstruction::present).toList();
        Map<NegativeSampling, List<PopeQuestion>> q =
                new EnumMap<>(PopeConstruction.questions(ids, present, classes, stats, seed));
        return new PopeSet(images.stream().map(CocoSuiteBuilder::scene).toList(), q);
    }

    /** The image as a scene (seed = image id, scene type "coco"). */
    static Scene scene(AnnotatedImage im) {
        return new Scene(im.id(), im.image(), im.instances(), im.caption(), "coco", "");
    }

    /** u(seed, id) in [0, 1): the top 53 bits of a 64-bit mix of both. */
    static double unit(long seed, long id) {
        long h = seed * 0x9E3779B97F4A7C15L + id;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }

    /**
     * The box [x, y, w, h] grown by margin·max(w, h) per side, square where the image allows,
     * clamped.
     */
    static BufferedImage crop(BufferedImage image, int[] box, double margin) {
        int side = (int) Math.ceil(Math.max(box[2], box[3]) * (1 + 2 * margin));
        int w = Math.min(side, image.getWidth());
        int h = Math.min(side, image.getHeight());
        int cx = box[0] + box[2] / 2;
        int cy = box[1] + box[3] / 2;
        int x = Math.max(0, Math.min(image.getWidth() - w, cx - w / 2));
        int y = Math.max(0, Math.min(image.getHeight() - h, cy - h / 2));
        return image.getSubimage(x, y, w, h);
    }

    /**
     * SHA-256 (16 hex digits) over the version, config, annotation bytes and each image file's name
     * and bytes.
     */
    static String digest(Path annotations, Path imageDir, CocoDataset set, CocoSuiteConfig cfg) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((VERSION + "\0" + cfg + "\0").getBytes(StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(annotations));
            for (AnnotatedImage im : set.images()) {
                md.update(("\0" + im.fileName() + "\0").getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(imageDir.resolve(im.fileName())));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the COCO set to digest it", e);
        }
    }
}
