package eagle.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * One instance annotation on {@link Topics#ANNOTATIONS} (docs/ARCHITECTURE.md, Events), schema
 * {@code schemas/annotation.v1.json}. Key: the image id (UTF-8); a tombstone (null value) retracts
 * every annotation of that image.
 *
 * <pre>
 * {"schemaVersion":1, "imageId":"img-1", "instanceId":"img-1/0", "className":"cat",
 *  "mask":  {"size":[h,w], "counts":"&lt;COCO compressed RLE&gt;" | [r0,r1,...]}   // column-major runs, first run zeros
 *        |  {"polygons":[[x1,y1,x2,y2,...], ...], "size":[h,w]?},              // size defaults to the image's
 *  "image": {"uri":"file:///…|https://…", "sha256":"&lt;64 hex&gt;"} | {"data":"&lt;base64&gt;", "sha256":"…"?},
 *  "annotator":"alice", "time":"2025-01-01T00:00:00Z"}
 * </pre>
 *
 * @param schemaVersion always {@link #SCHEMA_VERSION}
 * @param imageId the image's id, equal to the record key
 * @param instanceId unique within the image
 * @param className the object class: free text, at most 256 code points, no control or format
 *     character (annotation.v1.json; ingest dead-letters a violation as CLASS_NAME_INVALID)
 * @param mask the instance mask
 * @param image where the image's bytes are (claim check) or the bytes themselves
 * @param annotator who made the annotation
 * @param time ISO-8601 instant of the annotation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnnotationEvent(
        int schemaVersion,
        String imageId,
        String instanceId,
        String className,
        Mask mask,
        ImageRef image,
        String annotator,
        String time) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * A COCO mask: run-length ({@code size} + {@code counts}, counts a compressed string or a list
     * of run lengths) or polygons (flat {@code [x1,y1,x2,y2,...]} lists, pixel coordinates).
     *
     * @param size {@code [height, width]}; required with counts, optional with polygons
     * @param counts a {@code String} (compressed RLE) or a {@code long[]}/list of run lengths; null
     *     for polygons
     * @param polygons null for RLE
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mask(List<Integer> size, Object counts, List<double[]> polygons) {

        public static Mask rle(int height, int width, String compressedCounts) {
            return new Mask(List.of(height, width), compressedCounts, null);
        }

        public static Mask rle(int height, int width, long[] counts) {
            return new Mask(List.of(height, width), counts, null);
        }

        /** Polygons whose raster size is the image's. */
        public static Mask polygons(List<double[]> polygons) {
            return new Mask(null, null, polygons);
        }
    }

    /**
     * The image: {@code uri} + {@code sha256} (file:// or http(s)://, verified on fetch), or small
     * inline bytes in {@code data} (base64; {@code sha256} optional and verified when present).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageRef(String uri, String sha256, String data) {

        public static ImageRef of(String uri, String sha256) {
            return new ImageRef(uri, sha256, null);
        }

        public static ImageRef inline(byte[] bytes) {
            return new ImageRef(null, sha256Hex(bytes), Base64.getEncoder().encodeToString(bytes));
        }
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** The record key for this event. */
    public byte[] key() {
        return imageId.getBytes(StandardCharsets.UTF_8);
    }
}
