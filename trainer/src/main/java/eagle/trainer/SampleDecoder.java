package eagle.trainer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.SampleEvent;
import eagle.core.image.ImagePreprocessor;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import eagle.core.mask.PatchCoverage;
import eagle.core.mask.PoolingEligibility;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.imageio.ImageIO;

/**
 * Turns a {@code eagle.samples.v1} value into a {@link DecodedSample}: parses the JSON, reads the
 * image from the blob store (digest verified), decodes it, preprocesses it as CLIP does and
 * computes each instance mask's patch coverage after the same resize and centre crop. Every failure
 * is a {@link Outcome} with a reason. An instance the trainer cannot use (empty mask, mask cropped
 * away, class the tokenizer cannot prompt) is left out and reported in {@link
 * Outcome#instanceSkips()}; an image left with no usable instance is skipped ({@link
 * SkipReason#NO_USABLE_INSTANCE}).
 */
public final class SampleDecoder {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final BlobReader blobs;
    private final ImagePreprocessor preprocessor;
    private final int patchSize;
    private final Predicate<String> promptable;
    private final double minPatchArea;

    /** A decoder for which every class name can be prompted and any covered patch suffices. */
    public SampleDecoder(BlobReader blobs, int imageSize, int patchSize) {
        this(blobs, imageSize, patchSize, className -> true, 0);
    }

    /**
     * @param promptable whether the encoder's tokenizer can prompt a class name (core's {@code
     *     Tokenizer.canPrompt} over every prompt template)
     * @param minPatchArea the least covered area, in patches, of a usable instance (core's
     *     PoolingEligibility)
     */
    public SampleDecoder(
            BlobReader blobs,
            int imageSize,
            int patchSize,
            Predicate<String> promptable,
            double minPatchArea) {
        this.blobs = blobs;
        this.preprocessor = new ImagePreprocessor(imageSize);
        this.patchSize = patchSize;
        this.promptable = promptable;
        this.minPatchArea = minPatchArea;
    }

    /** An instance left out of a decoded sample, and why. */
    public record InstanceSkip(SkipReason reason, String description) {}

    /**
     * A decoded sample or the reason it was skipped; exactly one of {@code sample} and {@code
     * problem} is non-null. {@code instanceSkips}: the instances left out of the sample (also when
     * the whole image is skipped for having no usable instance).
     */
    public record Outcome(
            DecodedSample sample,
            SkipReason reason,
            String problem,
            List<InstanceSkip> instanceSkips) {
        public boolean ok() {
            return sample != null;
        }

        static Outcome skip(SkipReason reason, String problem) {
            return new Outcome(null, reason, problem, List.of());
        }
    }

    public Outcome decode(String key, String valueJson) {
        SampleEvent event;
        try {
            event = JSON.readValue(valueJson, SampleEvent.class);
        } catch (IOException e) {
            return Outcome.skip(
                    SkipReason.BAD_RECORD, "value is not a sample.v1 JSON: " + e.getMessage());
        }
        if (event.image() == null || event.instances() == null || event.instances().isEmpty()) {
            return Outcome.skip(SkipReason.BAD_RECORD, "sample has no image or no instances");
        }
        if (key != null && !key.equals(event.imageId())) {
            return Outcome.skip(
                    SkipReason.BAD_RECORD,
                    "key " + key + " differs from imageId " + event.imageId());
        }
        BlobReader.Result blob = blobs.read(event.image().sha256());
        if (!blob.ok()) {
            return Outcome.skip(SkipReason.BAD_BLOB, blob.problem());
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(blob.bytes()));
        } catch (IOException | RuntimeException e) {
            return Outcome.skip(
                    SkipReason.BAD_IMAGE,
                    "image " + event.image().sha256() + " does not decode: " + e.getMessage());
        }
        if (image == null) {
            return Outcome.skip(
                    SkipReason.BAD_IMAGE,
                    "image " + event.image().sha256() + " is not a PNG/JPEG ImageIO can decode");
        }
        List<DecodedSample.Instance> instances = new ArrayList<>();
        List<InstanceSkip> skips = new ArrayList<>();
        for (SampleEvent.Instance instance : event.instances()) {
            try {
                if (instance.mask() == null
                        || instance.mask().size() == null
                        || instance.mask().size().size() != 2) {
                    return Outcome.skip(
                            SkipReason.BAD_MASK,
                            "instance " + instance.instanceId() + " has no mask size");
                }
                int h = instance.mask().size().get(0);
                int w = instance.mask().size().get(1);
                if (h != image.getHeight() || w != image.getWidth()) {
                    return Outcome.skip(
                            SkipReason.BAD_MASK,
                            "instance "
                                    + instance.instanceId()
                                    + " mask is "
                                    + h
                                    + "×"
                                    + w
                                    + " but the image is "
                                    + image.getHeight()
                                    + "×"
                                    + image.getWidth());
                }
                BinaryMask mask =
                        CocoRle.fromCompressedString(h, w, instance.mask().counts()).decode();
                String which = event.imageId() + " instance " + instance.instanceId();
                if (mask.area() == 0) {
                    skips.add(
                            new InstanceSkip(
                                    SkipReason.INSTANCE_EMPTY, which + ": the mask is empty"));
                    continue; // nothing to pool
                }
                float[] coverage = PatchCoverage.of(mask, preprocessor.size(), patchSize);
                Optional<InstanceSkip> unusable = unusable(which, instance.className(), coverage);
                if (unusable.isPresent()) {
                    skips.add(unusable.get());
                    continue;
                }
                instances.add(new DecodedSample.Instance(instance.className(), coverage));
            } catch (IllegalArgumentException e) {
                return Outcome.skip(
                        SkipReason.BAD_MASK,
                        "instance "
                                + instance.instanceId()
                                + " mask does not decode: "
                                + e.getMessage());
            }
        }
        if (instances.isEmpty()) {
            return new Outcome(
                    null,
                    SkipReason.NO_USABLE_INSTANCE,
                    event.imageId()
                            + " has no usable instance"
                            + (skips.isEmpty()
                                    ? ""
                                    : " (" + skips.get(skips.size() - 1).description() + ")"),
                    List.copyOf(skips));
        }
        return new Outcome(
                new DecodedSample(
                        event.imageId(),
                        event.image().sha256(),
                        preprocessor.preprocess(image),
                        instances),
                null,
                null,
                List.copyOf(skips));
    }

    /**
     * Why masked average pooling cannot use this instance (docs/METHOD.md §2, core's {@link
     * PoolingEligibility}: it pools the patches the mask covers, so a mask the centre crop cut away
     * has nothing to pool), or why its class cannot be prompted; empty when the instance is usable.
     */
    private Optional<InstanceSkip> unusable(String which, String className, float[] coverage) {
        for (float a : coverage) {
            if (!(a >= 0f && a <= 1f)) {
                return Optional.of(
                        new InstanceSkip(SkipReason.BAD_MASK, which + ": patch coverage " + a));
            }
        }
        PoolingEligibility verdict = PoolingEligibility.ofCoverage(coverage, minPatchArea);
        if (verdict.reason() == PoolingEligibility.Reason.UNUSABLE_CROPPED_AWAY) {
            return Optional.of(
                    new InstanceSkip(
                            SkipReason.INSTANCE_CROPPED_AWAY,
                            which
                                    + ": the mask lies outside the centre crop (it covers no patch)"));
        }
        if (verdict.reason() != null) {
            return Optional.of(
                    new InstanceSkip(
                            SkipReason.INSTANCE_TOO_SMALL,
                            which
                                    + ": the mask covers less than "
                                    + minPatchArea
                                    + " patches after the centre crop"));
        }
        if (className == null || className.isBlank() || !promptable.test(className)) {
            return Optional.of(
                    new InstanceSkip(
                            SkipReason.CLASS_NOT_PROMPTABLE,
                            which
                                    + ": class '"
                                    + className
                                    + "' cannot be prompted by the encoder's tokenizer"));
        }
        return Optional.empty();
    }
}
