package eagle.evaluator.stream;

import eagle.scenes.coco.AnnotatedImage;
import eagle.scenes.suite.CocoSuite;
import eagle.scenes.suite.CocoSuiteBuilder;
import eagle.scenes.suite.CocoSuiteConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The held-out suite built from the stream's split (docs/METHOD.md §6): ingest sends a fixed share
 * of the images, by a hash of the image id, to {@code eagle.samples.heldout.v1} instead of the
 * training samples; this reads that topic ({@link HeldOutTopic}), decodes its live samples ({@link
 * HeldOutSamples}) and builds the suite the way a COCO set is built ({@link CocoSuiteBuilder}: POPE
 * the paper's way, zero-shot from the instances, MMVP-style pairs, the calibration split).
 *
 * <p>Versioned by the offsets it covers: a version's id is {@code heldout-} and 16 hex digits of
 * SHA-256 over the builder's version, its configuration, the topic, each partition's [from, to) and
 * the id of every image used (the offsets fix the samples, the samples the blob digests). A new
 * version is built only when at least {@code growth} images not in the current one are live on the
 * topic, so re-checks run on a suite that has really grown, not on every record.
 */
public final class StreamSuiteSource {

    static final String VERSION = "stream-suite-1";

    /** A built version: the suite, the offsets it covers, what was left out. */
    public record Built(
            CocoSuite suite, HeldOutTopic.Snapshot covers, Map<String, Integer> skipped) {}

    private final HeldOutTopic topic;
    private final Path blobRoot;
    private final CocoSuiteConfig config;
    private final int growth;
    private Set<String> builtImages;

    /**
     * @param blobRoot the platform's blob store (where ingest stores the images)
     * @param growth the number of new images that makes a new version (at least 1)
     */
    public StreamSuiteSource(
            HeldOutTopic topic, Path blobRoot, CocoSuiteConfig config, int growth) {
        if (growth < 1) {
            throw new IllegalArgumentException("growth must be at least 1, got " + growth);
        }
        this.topic = topic;
        this.blobRoot = blobRoot;
        this.config = config;
        this.growth = growth;
    }

    /**
     * Whether a new version is due: none was built yet, or at least {@code growth} live images of
     * the topic are not in the last version built.
     */
    public synchronized boolean hasNewVersion() {
        if (builtImages == null) {
            return true;
        }
        return newImages(topic.read()) >= growth;
    }

    /** The number of live images not in the last version built (all of them before the first). */
    public synchronized int newImages() {
        return newImages(topic.read());
    }

    private int newImages(HeldOutTopic.Snapshot s) {
        if (builtImages == null) {
            return s.live().size();
        }
        int n = 0;
        for (String id : s.live().keySet()) {
            if (!builtImages.contains(id)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Reads the topic to its end and builds the suite of its live samples.
     *
     * @throws IllegalArgumentException when the topic holds no usable image (an empty held-out set)
     *     or too few for a suite ({@link CocoSuiteBuilder}'s reasons)
     */
    public synchronized Built build() {
        HeldOutTopic.Snapshot s = topic.read();
        if (s.live().isEmpty()) {
            throw new IllegalArgumentException(
                    "the held-out set is empty: topic "
                            + topic.topic()
                            + " holds no image (offsets "
                            + (s.offsets().isEmpty() ? "none" : s.describeOffsets())
                            + "); ingest sends it a share of the annotated images");
        }
        HeldOutSamples.Decoded d = HeldOutSamples.decode(s.live(), blobRoot);
        if (d.set().images().isEmpty()) {
            throw new IllegalArgumentException(
                    "no image of the held-out topic "
                            + topic.topic()
                            + " can be used: "
                            + s.live().size()
                            + " live, left out "
                            + d.skipped()
                            + " (blobs under "
                            + blobRoot
                            + ")");
        }
        CocoSuite suite;
        try {
            suite = CocoSuiteBuilder.build(d.set(), id(s, d), config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the held-out topic " + topic.topic() + ": " + e.getMessage(), e);
        }
        builtImages = new HashSet<>(s.live().keySet());
        return new Built(suite, s, d.skipped());
    }

    /** What the evaluation records about a version: topic, offsets, sizes, samples left out. */
    public Map<String, String> describe(Built b) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("topic", topic.topic());
        out.put("offsets", b.covers().describeOffsets());
        out.put("live_images", String.valueOf(b.covers().live().size()));
        b.skipped().forEach((why, n) -> out.put("left_out." + why, String.valueOf(n)));
        return out;
    }

    private String id(HeldOutTopic.Snapshot s, HeldOutSamples.Decoded d) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(
                    (VERSION + "\0" + config + "\0" + topic.topic() + "\0" + s.describeOffsets())
                            .getBytes(StandardCharsets.UTF_8));
            TreeSet<String> used = new TreeSet<>();
            for (AnnotatedImage im : d.set().images()) {
                used.add(im.fileName());
            }
            used.forEach(image -> md.update(("\0" + image).getBytes(StandardCharsets.UTF_8)));
            return "heldout-" + HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
