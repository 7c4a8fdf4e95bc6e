package eagle.ingest.validate;

import java.time.Instant;
import java.util.List;

/**
 * An annotation that passed the schema: typed, not yet checked against its image.
 *
 * @param imageId equal to the record key
 * @param instanceId unique within the image
 * @param className in the taxonomy when it is closed
 * @param mask as sent
 * @param image as sent
 * @param annotator who annotated
 * @param time when
 */
public record ParsedAnnotation(
        String imageId,
        String instanceId,
        String className,
        MaskSpec mask,
        ImageSpec image,
        String annotator,
        Instant time) {

    /** The mask as sent: RLE with explicit size (compressed string or counts) or polygons. */
    public sealed interface MaskSpec {
        /** {@code [height, width]} if the event gave it, else null (polygons only). */
        int[] size();
    }

    public record CompressedRle(int[] size, String counts) implements MaskSpec {}

    public record CountsRle(int[] size, long[] counts) implements MaskSpec {}

    public record Polygons(int[] size, List<double[]> polygons) implements MaskSpec {}

    /** The image as sent: a claim check or inline bytes. */
    public sealed interface ImageSpec {}

    public record UriImage(String uri, String sha256) implements ImageSpec {}

    /**
     * @param sha256 declared digest, null when not given
     */
    public record InlineImage(byte[] bytes, String sha256) implements ImageSpec {}
}
