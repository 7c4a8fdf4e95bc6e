package eagle.ingest;

import eagle.contracts.AnnotationEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Small real PNG images and annotation events for the tests. */
public final class TestImages {

    private TestImages() {}

    /**
     * A grey PNG of {@code height × width} with seeded noise (so different seeds give different
     * digests).
     */
    public static byte[] png(int height, int width, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        SplittableRandom random = new SplittableRandom(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = random.nextInt(256);
                image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code bytes} under {@code dir} and returns a claim check for them. */
    public static AnnotationEvent.ImageRef file(Path dir, String name, byte[] bytes) {
        try {
            Path path = dir.resolve(name);
            Files.write(path, bytes);
            return AnnotationEvent.ImageRef.of(
                    path.toUri().toString(), AnnotationEvent.sha256Hex(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AnnotationEvent event(
            String imageId,
            String instanceId,
            String className,
            AnnotationEvent.Mask mask,
            AnnotationEvent.ImageRef image) {
        return new AnnotationEvent(
                1, imageId, instanceId, className, mask, image, "alice", "2025-03-01T10:00:00Z");
    }

    /** Column x of an h × w mask fully set: column-major runs [x·h, h, (w−x−1)·h]. */
    public static AnnotationEvent.Mask column(int height, int width, int x) {
        long before = (long) x * height;
        long after = (long) (width - x - 1) * height;
        return AnnotationEvent.Mask.rle(
                height,
                width,
                after == 0 ? new long[] {before, height} : new long[] {before, height, after});
    }

    public static AnnotationEvent.Mask square(double x0, double y0, double side) {
        return AnnotationEvent.Mask.polygons(
                List.of(new double[] {x0, y0, x0 + side, y0, x0 + side, y0 + side, x0, y0 + side}));
    }
}
