package eagle.ingest.validate;

import eagle.contracts.AnnotationEvent;
import eagle.contracts.DeadLetter.Reason;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import eagle.core.mask.PolygonRasterizer;
import eagle.ingest.IngestConfig;
import eagle.ingest.blob.BlobStore;
import eagle.ingest.blob.BlobWriteBehind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The per-record checks after parsing, in order: the image (reused when the image id already has
 * the same digest; else read, size-limited, digest-verified, checked to decode, stored in the blob
 * store), then the mask (size limit, size = image size, decodable, non-empty).
 *
 * <p>"Decodes" is javax.imageio's verdict; most PNGs get it from {@link PngCheck}, which inflates
 * the image data and checks its rows without building the image, and is never more lenient.
 *
 * <p>Blob-store failures are infrastructure failures, not the record's fault: they propagate as
 * {@link UncheckedIOException} and stop the task (exactly-once retries the record after restart).
 * The topology hands the bytes to a {@link BlobWriteBehind}, whose failures surface at the stream
 * thread's next wait for its writes instead (before a commit or an emission).
 */
public final class AnnotationValidator {

    private final IngestConfig config;
    private final ImageSource images;
    private final ImageWrite blobs;

    /** How an accepted image's bytes are stored: at once, or handed to a write-behind. */
    @FunctionalInterface
    private interface ImageWrite {
        URI put(String sha256, byte[] bytes) throws IOException;
    }

    /** Stores each new image before {@link #validate} returns. */
    public AnnotationValidator(IngestConfig config, ImageSource images, BlobStore blobs) {
        this(config, images, (ImageWrite) blobs::put);
    }

    /** Hands each new image to {@code blobs}; it is stored once the thread waits for its writes. */
    public AnnotationValidator(IngestConfig config, ImageSource images, BlobWriteBehind blobs) {
        this(config, images, (ImageWrite) blobs::put);
    }

    private AnnotationValidator(IngestConfig config, ImageSource images, ImageWrite blobs) {
        this.config = config;
        this.images = images;
        this.blobs = blobs;
    }

    public IngestConfig config() {
        return config;
    }

    /**
     * @param known the image already bound to this image id, or null
     */
    public ValidatedAnnotation validate(ParsedAnnotation a, StoredImage known) throws Rejection {
        StoredImage image = resolveImage(a.image(), known);
        CocoRle rle = decodeMask(a.mask(), image);
        long area = rle.area();
        if (area == 0) {
            throw new Rejection(
                    Reason.EMPTY_MASK,
                    "mask of instance " + a.instanceId() + " has no foreground pixel");
        }
        return new ValidatedAnnotation(
                a.imageId(),
                a.instanceId(),
                a.className(),
                rle.toCompressedString(),
                area,
                image,
                a.annotator(),
                a.time());
    }

    StoredImage resolveImage(ParsedAnnotation.ImageSpec spec, StoredImage known) throws Rejection {
        byte[] bytes;
        String sha256;
        if (spec instanceof ParsedAnnotation.UriImage uri) {
            if (known != null && known.sha256().equals(uri.sha256())) {
                return known;
            }
            checkBinding(known, uri.sha256());
            bytes = images.fetch(uri.uri(), config.maxImageBytes());
            sha256 = AnnotationEvent.sha256Hex(bytes);
            if (!sha256.equals(uri.sha256())) {
                throw new Rejection(
                        Reason.DIGEST_MISMATCH,
                        "bytes at "
                                + uri.uri()
                                + " hash to "
                                + sha256
                                + ", the event declares "
                                + uri.sha256());
            }
        } else {
            ParsedAnnotation.InlineImage inline = (ParsedAnnotation.InlineImage) spec;
            bytes = inline.bytes();
            if (bytes.length > config.maxInlineBytes()) {
                throw new Rejection(
                        Reason.TOO_LARGE,
                        "inline image has "
                                + bytes.length
                                + " bytes, limit "
                                + config.maxInlineBytes());
            }
            sha256 = AnnotationEvent.sha256Hex(bytes);
            if (inline.sha256() != null && !inline.sha256().equals(sha256)) {
                throw new Rejection(
                        Reason.DIGEST_MISMATCH,
                        "inline bytes hash to "
                                + sha256
                                + ", the event declares "
                                + inline.sha256());
            }
            if (known != null && known.sha256().equals(sha256)) {
                return known;
            }
            checkBinding(known, sha256);
        }
        int[] hw = decode(bytes);
        try {
            return new StoredImage(sha256, hw[1], hw[0], blobs.put(sha256, bytes).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("blob store failed to store " + sha256, e);
        }
    }

    private static void checkBinding(StoredImage known, String sha256) throws Rejection {
        if (known != null) {
            throw new Rejection(
                    Reason.DIGEST_MISMATCH,
                    "the image id is bound to sha256 "
                            + known.sha256()
                            + "; this annotation names "
                            + sha256
                            + " (retract the image first to replace it)");
        }
    }

    /**
     * @return {height, width} once the bytes are known to decode: a PNG that {@link PngCheck} finds
     *     certain to decode is not decoded again; anything else is decoded in full by javax.imageio
     */
    private int[] decode(byte[] bytes) throws Rejection {
        if (startsWith(bytes, PNG_SIGNATURE)) {
            PngCheck.Header header = PngCheck.header(bytes);
            if (header != null) {
                checkPixels(header.height(), header.width());
                if (PNG_CHECKS.get().decodes(bytes, header)) {
                    return new int[] {header.height(), header.width()};
                }
            }
            // not certain: javax.imageio decides
        }
        // in memory: ImageIO.createImageInputStream would cache the stream in a temporary file
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = reader(bytes, in);
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkPixels(height, width);
                reader.read(0);
                return new int[] {height, width};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new Rejection(Reason.IMAGE_UNDECODABLE, "image does not decode", e);
        }
    }

    private void checkPixels(int height, int width) throws Rejection {
        if ((long) width * height > config.maxPixels()) {
            throw new Rejection(
                    Reason.TOO_LARGE,
                    "image is "
                            + height
                            + "x"
                            + width
                            + ", limit "
                            + config.maxPixels()
                            + " pixels");
        }
    }

    /** The cheap PNG check, one per stream thread (it keeps an inflater and a buffer). */
    private static final ThreadLocal<PngCheck> PNG_CHECKS = ThreadLocal.withInitial(PngCheck::new);

    /**
     * The reader javax.imageio would pick for the bytes. PNG and JPEG (by their signatures) get a
     * new reader from a provider looked up once: asking every registered provider whether it can
     * decode the bytes cost more than writing the blob. Anything else is left to {@link
     * ImageIO#getImageReaders}.
     */
    private static ImageReader reader(byte[] bytes, ImageInputStream in)
            throws IOException, Rejection {
        ImageReaderSpi known =
                startsWith(bytes, PNG_SIGNATURE)
                        ? PNG
                        : startsWith(bytes, JPEG_SIGNATURE) ? JPEG : null;
        if (known != null && known.canDecodeInput(in)) {
            return known.createReaderInstance();
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new Rejection(
                    Reason.IMAGE_UNDECODABLE, "no javax.imageio reader recognises the bytes");
        }
        return readers.next();
    }

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
    };
    private static final byte[] JPEG_SIGNATURE = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final ImageReaderSpi PNG = provider("png");
    private static final ImageReaderSpi JPEG = provider("jpeg");

    private static ImageReaderSpi provider(String format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        return readers.hasNext() ? readers.next().getOriginatingProvider() : null;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length
                && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    CocoRle decodeMask(ParsedAnnotation.MaskSpec spec, StoredImage image) throws Rejection {
        int[] size = spec.size() != null ? spec.size() : new int[] {image.height(), image.width()};
        if ((long) size[0] * size[1] > config.maxPixels()) {
            throw new Rejection(
                    Reason.TOO_LARGE,
                    "mask is "
                            + size[0]
                            + "x"
                            + size[1]
                            + ", limit "
                            + config.maxPixels()
                            + " pixels");
        }
        if (size[0] != image.height() || size[1] != image.width()) {
            throw new Rejection(
                    Reason.MASK_SIZE_MISMATCH,
                    "mask is "
                            + size[0]
                            + "x"
                            + size[1]
                            + " (h x w), image is "
                            + image.height()
                            + "x"
                            + image.width());
        }
        try {
            if (spec instanceof ParsedAnnotation.CompressedRle c) {
                return CocoRle.fromCompressedString(size[0], size[1], c.counts());
            }
            if (spec instanceof ParsedAnnotation.CountsRle c) {
                return new CocoRle(size[0], size[1], c.counts());
            }
            BinaryMask mask =
                    PolygonRasterizer.rasterize(
                            ((ParsedAnnotation.Polygons) spec).polygons(), size[0], size[1]);
            return CocoRle.encode(mask);
        } catch (IllegalArgumentException e) {
            throw new Rejection(Reason.MASK_UNDECODABLE, "mask does not decode", e);
        }
    }
}
