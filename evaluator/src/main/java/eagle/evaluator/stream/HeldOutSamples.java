package eagle.evaluator.stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.SampleEvent;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import eagle.scenes.Instance;
import eagle.scenes.coco.AnnotatedImage;
import eagle.scenes.coco.CocoCategory;
import eagle.scenes.coco.CocoDataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * The held-out topic's live samples ({@code sample.v1} JSON) as a COCO-format data set in memory:
 * each image's bytes read from the platform's content-addressed blob store ({@code root/h[0:2]/h},
 * digest verified), each instance's COCO RLE decoded, the categories the sorted distinct class
 * names. A sample the evaluator cannot use (unreadable JSON, a missing or corrupt blob, an image
 * that does not decode, a mask of another size or a malformed RLE) is left out and counted by
 * reason, never fatal: no single record may stop the service.
 */
public final class HeldOutSamples {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * The data set (images in image-id order) and the samples left out, by reason ({@code
     * bad_record}, {@code bad_blob}, {@code bad_image}, {@code bad_mask}).
     */
    public record Decoded(CocoDataset set, Map<String, Integer> skipped) {}

    private HeldOutSamples() {}

    /** Decodes {@code live} (image id → sample JSON) with the blobs under {@code blobRoot}. */
    public static Decoded decode(Map<String, String> live, Path blobRoot) {
        Map<String, Integer> skipped = new TreeMap<>();
        Map<String, SampleEvent> events = new TreeMap<>();
        TreeSet<String> classNames = new TreeSet<>();
        for (Map.Entry<String, String> e : live.entrySet()) {
            SampleEvent s;
            try {
                s = JSON.readValue(e.getValue(), SampleEvent.class);
            } catch (IOException ex) {
                skipped.merge("bad_record", 1, Integer::sum);
                continue;
            }
            if (s.image() == null
                    || s.instances() == null
                    || s.instances().isEmpty()
                    || s.instances().stream().anyMatch(i -> i.className() == null)) {
                skipped.merge("bad_record", 1, Integer::sum);
                continue;
            }
            events.put(e.getKey(), s);
            s.instances().forEach(i -> classNames.add(i.className()));
        }
        List<String> names = List.copyOf(classNames);
        List<AnnotatedImage> images = new ArrayList<>();
        for (Map.Entry<String, SampleEvent> e : events.entrySet()) {
            String why = image(e.getKey(), e.getValue(), names, blobRoot, images);
            if (why != null) {
                skipped.merge(why, 1, Integer::sum);
            }
        }
        images.sort((a, b) -> Long.compare(a.id(), b.id()));
        List<CocoCategory> categories = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            categories.add(new CocoCategory(c, names.get(c), ""));
        }
        return new Decoded(new CocoDataset(categories, images), Map.copyOf(skipped));
    }

    /** Adds the decoded image to {@code out}; returns why it cannot be used, or null. */
    private static String image(
            String imageId,
            SampleEvent s,
            List<String> names,
            Path blobRoot,
            List<AnnotatedImage> out) {
        String sha = s.image().sha256();
        if (sha == null || !SHA256.matcher(sha).matches()) {
            return "bad_record";
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(blobRoot.resolve(sha.substring(0, 2)).resolve(sha));
        } catch (NoSuchFileException e) {
            return "bad_blob";
        } catch (IOException e) {
            return "bad_blob";
        }
        if (!AnnotationEvent.sha256Hex(bytes).equals(sha)) {
            return "bad_blob";
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            return "bad_image";
        }
        if (image == null) {
            return "bad_image";
        }
        List<Instance> instances = new ArrayList<>();
        for (SampleEvent.Instance i : s.instances()) {
            if (i.mask() == null
                    || i.mask().size() == null
                    || i.mask().size().size() != 2
                    || i.mask().size().get(0) != image.getHeight()
                    || i.mask().size().get(1) != image.getWidth()) {
                return "bad_mask";
            }
            BinaryMask mask;
            try {
                mask =
                        CocoRle.fromCompressedString(
                                        image.getHeight(), image.getWidth(), i.mask().counts())
                                .decode();
            } catch (RuntimeException e) {
                return "bad_mask";
            }
            instances.add(
                    new Instance(
                            i.instanceId(), names.indexOf(i.className()), i.className(), mask));
        }
        out.add(
                new AnnotatedImage(
                        numericId(imageId),
                        imageId,
                        image.getWidth(),
                        image.getHeight(),
                        image,
                        instances,
                        ""));
        return null;
    }

    /**
     * A stable non-negative number for an image id (the top 63 bits of SHA-256 of its UTF-8 bytes):
     * the calibration split and the POPE seeds depend on it, so an image keeps its side and its
     * questions as the split grows.
     */
    static long numericId(String imageId) {
        try {
            byte[] h =
                    MessageDigest.getInstance("SHA-256")
                            .digest(imageId.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (h[i] & 0xFF);
            }
            return v >>> 1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
