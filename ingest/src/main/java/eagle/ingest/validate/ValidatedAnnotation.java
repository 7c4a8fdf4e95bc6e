package eagle.ingest.validate;

import java.time.Instant;

/**
 * An annotation that passed every per-record check: its mask is non-empty, has its image's size and
 * is given as pycocotools' compressed RLE string (column-major).
 *
 * @param imageId the image
 * @param instanceId unique within the image
 * @param className the class
 * @param maskCounts compressed COCO RLE of the (height × width) mask
 * @param maskArea foreground pixels (> 0)
 * @param image the stored image
 * @param annotator who
 * @param time when
 */
public record ValidatedAnnotation(
        String imageId,
        String instanceId,
        String className,
        String maskCounts,
        long maskArea,
        StoredImage image,
        String annotator,
        Instant time) {}
