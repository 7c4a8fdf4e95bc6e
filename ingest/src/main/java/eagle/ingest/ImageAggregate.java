package eagle.ingest;

import eagle.contracts.SampleEvent;
import eagle.ingest.validate.StoredImage;
import eagle.ingest.validate.ValidatedAnnotation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything accepted so far for one image: the per-image state kept in {@link
 * TopologyProducer#IMAGES_STORE}. Immutable; {@link #updateFrom} returns the next state.
 *
 * <p>Duplicate (docs/ARCHITECTURE.md, Events, made precise): an annotation whose image id and
 * instance id are already accepted with the same class, the same mask (compressed RLE, byte for
 * byte) and the same image digest. Annotator and time are provenance, not content. The same
 * instance id with different content replaces the earlier instance (a correction).
 *
 * @param imageId the image
 * @param image the stored image all instances refer to
 * @param instances in order of first acceptance
 * @param updatedAt latest annotation time among the instances
 */
public record ImageAggregate(
        String imageId, StoredImage image, List<Instance> instances, Instant updatedAt) {

    /** One accepted instance. */
    public record Instance(
            String instanceId, String className, String maskCounts, String annotator) {}

    public ImageAggregate {
        instances = List.copyOf(instances);
    }

    /** The state before anything was accepted for {@code imageId}. */
    public static ImageAggregate empty(String imageId, StoredImage image) {
        return new ImageAggregate(imageId, image, List.of(), Instant.EPOCH);
    }

    /** Whether {@code a} is a duplicate of an accepted instance (see class doc). */
    public boolean holds(ValidatedAnnotation a) {
        return image.sha256().equals(a.image().sha256())
                && instances.stream()
                        .anyMatch(
                                i ->
                                        i.instanceId().equals(a.instanceId())
                                                && i.className().equals(a.className())
                                                && i.maskCounts().equals(a.maskCounts()));
    }

    /** This state with {@code a} added, or replacing the instance with the same id. */
    public ImageAggregate updateFrom(ValidatedAnnotation a) {
        Instance next = new Instance(a.instanceId(), a.className(), a.maskCounts(), a.annotator());
        List<Instance> out = new ArrayList<>(instances);
        int at = -1;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).instanceId().equals(a.instanceId())) {
                at = i;
            }
        }
        if (at >= 0) {
            out.set(at, next);
        } else {
            out.add(next);
        }
        Instant latest = a.time().isAfter(updatedAt) ? a.time() : updatedAt;
        return new ImageAggregate(imageId, image, out, latest);
    }

    /** Instances per class name. */
    public Map<String, Integer> classCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Instance i : instances) {
            counts.merge(i.className(), 1, Integer::sum);
        }
        return counts;
    }

    /** The sample event for this state. */
    public SampleEvent toSample() {
        List<SampleEvent.Instance> out = new ArrayList<>();
        List<Integer> size = List.of(image.height(), image.width());
        TreeSet<String> annotators = new TreeSet<>();
        for (Instance i : instances) {
            out.add(
                    new SampleEvent.Instance(
                            i.instanceId(),
                            i.className(),
                            new SampleEvent.Mask(size, i.maskCounts()),
                            i.annotator()));
            annotators.add(i.annotator());
        }
        return new SampleEvent(
                SampleEvent.SCHEMA_VERSION,
                imageId,
                new SampleEvent.Image(
                        image.sha256(), image.width(), image.height(), image.blobUri()),
                out,
                List.copyOf(annotators),
                updatedAt.toString());
    }
}
