package eagle.trainer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.SampleEvent;
import eagle.core.image.ImagePreprocessor;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import eagle.core.mask.PatchCoverage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Turns a {@code eagle.samples.v1} value into a {@link DecodedSample}: parses the JSON, reads the image
 * from the blob store (digest verified), decodes it, preprocesses it as CLIP does and computes each
 * instance mask's patch coverage after the same resize and centre crop. Every failure is a
 * {@link Outcome} with a reason.
 */
public final class SampleDecoder {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final BlobReader blobs;
    private final ImagePreprocessor preprocessor;
    private final int patchSize;

    public SampleDecoder(BlobReader blobs, int imageSize, int patchSize) {
        this.blobs = blobs;
        this.preprocessor = new ImagePreprocessor(imageSize);
        this.patchSize = patchSize;
    }

    /** A decoded sample or the reason it was skipped; exactly one is non-null. */
    public record Outcome(DecodedSample sample, String problem) {
        public boolean ok() {
            return sample != null;
        }

        static Outcome skip(String problem) {
            return new Outcome(null, problem);
        }
    }

    public Outcome decode(String key, String valueJson) {
        SampleEvent event;
        try {
            event = JSON.readValue(valueJson, SampleEvent.class);
        } catch (IOException e) {
            return Outcome.skip("value is not a sample.v1 JSON: " + e.getMessage());
        }
        if (event.image() == null || event.instances() == null || event.instances().isEmpty()) {
            return Outcome.skip("sample has no image or no instances");
        }
        if (key != null && !key.equals(event.imageId())) {
            return Outcome.skip("key " + key + " differs from imageId " + event.imageId());
        }
        BlobReader.Result blob = blobs.read(event.image().sha256());
        if (!blob.ok()) {
            return Outcome.skip(blob.problem());
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(blob.bytes()));
        } catch (IOException | RuntimeException e) {
            return Outcome.skip("image " + event.image().sha256() + " does not decode: " + e.getMessage());
        }
        if (image == null) {
            return Outcome.skip("image " + event.image().sha256() + " is not a PNG/JPEG ImageIO can decode");
        }
        List<DecodedSample.Instance> instances = new ArrayList<>();
        for (SampleEvent.Instance instance : event.instances()) {
            try {
                if (instance.mask() == null || instance.mask().size() == null || instance.mask().size().size() != 2) {
                    return Outcome.skip("instance " + instance.instanceId() + " has no mask size");
                }
                int h = instance.mask().size().get(0);
                int w = instance.mask().size().get(1);
                if (h != image.getHeight() || w != image.getWidth()) {
                    return Outcome.skip("instance " + instance.instanceId() + " mask is " + h + "×" + w
                            + " but the image is " + image.getHeight() + "×" + image.getWidth());
                }
                BinaryMask mask = CocoRle.fromCompressedString(h, w, instance.mask().counts()).decode();
                if (mask.area() == 0) {
                    continue; // nothing to pool
                }
                instances.add(new DecodedSample.Instance(instance.className(),
                        PatchCoverage.of(mask, preprocessor.size(), patchSize)));
            } catch (IllegalArgumentException e) {
                return Outcome.skip("instance " + instance.instanceId() + " mask does not decode: " + e.getMessage());
            }
        }
        if (instances.isEmpty()) {
            return Outcome.skip("every instance mask of " + event.imageId() + " is empty");
        }
        return new Outcome(new DecodedSample(event.imageId(), event.image().sha256(),
                preprocessor.preprocess(image), instances), null);
    }
}
