package eagle.contracts;

import java.util.List;

/**
 * One validated image with all its instance masks, on {@link Topics#SAMPLES} (docs/ARCHITECTURE.md,
 * Events), schema {@code schemas/sample.v1.json}. Key: the image id. The topic is a compacted view:
 * each accepted annotation re-emits the image's whole current sample, so the latest record per key
 * is the truth; a tombstone means the image was retracted.
 *
 * @param schemaVersion always {@link #SCHEMA_VERSION}
 * @param imageId the image's id
 * @param image the stored image (content-addressed by sha256 in the blob store)
 * @param instances every accepted instance, in order of first acceptance
 * @param annotators distinct annotators, sorted
 * @param updatedAt the latest annotation time among the instances (ISO-8601)
 */
public record SampleEvent(
        int schemaVersion,
        String imageId,
        Image image,
        List<Instance> instances,
        List<String> annotators,
        String updatedAt) {

    public static final int SCHEMA_VERSION = 1;

    /** The image as stored: {@code blobUri} points at bytes whose SHA-256 is {@code sha256}. */
    public record Image(String sha256, int width, int height, String blobUri) {}

    /** One instance; its mask has the image's size. */
    public record Instance(String instanceId, String className, Mask mask, String annotator) {}

    /**
     * COCO RLE: {@code size = [height, width]}, {@code counts} the compressed string
     * (column-major).
     */
    public record Mask(List<Integer> size, String counts) {}
}
