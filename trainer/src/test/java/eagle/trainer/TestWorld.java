package eagle.trainer;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.SampleEvent;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.core.model.TokenizerSpec;
import eagle.core.text.WordTokenizer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Test data: a tiny base encoder and annotated 64×64 images in a content-addressed blob store. */
final class TestWorld {

    static final int SIZE = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestWorld() {}

    static final List<String> WORDS =
            List.of("this", "is", "an", "image", "of", "a", "red", "blue", "square", "circle");

    /**
     * A randomly initialised tiny CLIP laid out like models/embedded-base: its EncoderSpec (a word
     * tokenizer of {@link #WORDS}, template "This is an image of a {c}") in the metadata.
     */
    static void writeBase(Path dir) throws IOException {
        Files.createDirectories(dir);
        WordTokenizer tokenizer = new WordTokenizer(WORDS, 16);
        EncoderSpec spec =
                EncoderSpec.of(
                        ClipConfig.tiny(tokenizer.vocabSize()),
                        TokenizerSpec.words(WORDS, 16),
                        List.of("This is an image of a {c}"));
        try (ClipModel model = ClipModel.create(spec.config(), Device.cpu(), 7L)) {
            model.save(dir.resolve("model.safetensors"), spec.metadata());
        }
    }

    /** A rectangle [x0, x1) × [y0, y1) as a row-major mask. */
    static BinaryMask rect(int x0, int y0, int x1, int y1) {
        boolean[] bits = new boolean[SIZE * SIZE];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                bits[y * SIZE + x] = true;
            }
        }
        return BinaryMask.of(SIZE, SIZE, bits);
    }

    /** PNG bytes of a grey image with a coloured rectangle. */
    static byte[] png(Color color, int x0, int y0, int x1, int y1) throws IOException {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, SIZE, SIZE);
        g.setColor(color);
        g.fillRect(x0, y0, x1 - x0, y1 - y0);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** Stores bytes at root/sha[0:2]/sha as ingest does; returns the digest. */
    static String store(Path blobRoot, byte[] bytes) throws IOException {
        String sha = AnnotationEvent.sha256Hex(bytes);
        Path file = blobRoot.resolve(sha.substring(0, 2)).resolve(sha);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return sha;
    }

    /**
     * A sample.v1 value for image {@code imageId} with one instance of {@code className}; its
     * picture varies with {@code variant} and is stored in the blob store.
     */
    static String sample(Path blobRoot, String imageId, String className, int variant)
            throws IOException {
        int x0 = 4 * (variant % 8);
        int y0 = 4 * ((variant / 8) % 8);
        int x1 = x0 + 24;
        int y1 = y0 + 20;
        Color color = className.startsWith("red") ? Color.RED : Color.BLUE;
        String sha = store(blobRoot, png(color, x0, y0, x1, y1));
        return sampleJson(imageId, className, sha, rect(x0, y0, x1, y1));
    }

    static String sampleJson(String imageId, String className, String sha, BinaryMask mask)
            throws IOException {
        String counts = CocoRle.encode(mask).toCompressedString();
        SampleEvent event =
                new SampleEvent(
                        SampleEvent.SCHEMA_VERSION,
                        imageId,
                        new SampleEvent.Image(sha, SIZE, SIZE, "blob:" + sha),
                        List.of(
                                new SampleEvent.Instance(
                                        imageId + "/0",
                                        className,
                                        new SampleEvent.Mask(List.of(SIZE, SIZE), counts),
                                        "tester")),
                        List.of("tester"),
                        "2026-01-01T00:00:00Z");
        return JSON.writeValueAsString(event);
    }

    /** A sample whose blob is stored and then overwritten with other bytes (digest mismatch). */
    static String corruptSample(Path blobRoot, String imageId) throws IOException {
        byte[] bytes = png(Color.RED, 0, 0, 10, 10);
        String sha = store(blobRoot, bytes);
        Files.write(
                blobRoot.resolve(sha.substring(0, 2)).resolve(sha), png(Color.GREEN, 0, 0, 10, 10));
        return sampleJson(imageId, "red square", sha, rect(0, 0, 10, 10));
    }
}
