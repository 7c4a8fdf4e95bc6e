package eagle.ingest;

import java.time.Duration;
import java.util.Set;

/**
 * What ingest accepts and how often it emits. Immutable; built from {@code application.properties}
 * by {@link IngestSettings}.
 *
 * @param taxonomy the allowed class names; empty = open taxonomy (every class accepted)
 * @param maxImageBytes largest fetched image, bytes (default 32 MiB)
 * @param maxInlineBytes largest inline image, bytes (default 1 MiB)
 * @param maxPixels largest image or mask, height × width (default 40 M)
 * @param fetchTimeout bound of one whole http(s) image fetch: connecting, the answer and its body
 *     (default 10 s); a fetch that takes longer dead-letters its record (IMAGE_UNREACHABLE, "image
 *     fetch timed out") and the stream goes on
 * @param emitInterval how often the images changed since the last emission are emitted as samples
 *     (wall-clock; default 1 s): an image's sample is written at most once per interval
 * @param heldOut which images go to the held-out topic instead of the samples topic (default 10%)
 */
public record IngestConfig(
        Set<String> taxonomy,
        long maxImageBytes,
        long maxInlineBytes,
        long maxPixels,
        Duration fetchTimeout,
        Duration emitInterval,
        HeldOutSplit heldOut) {

    public IngestConfig {
        taxonomy = Set.copyOf(taxonomy);
        if (maxImageBytes <= 0 || maxInlineBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("size limits must be positive");
        }
        if (fetchTimeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "the fetch timeout must be at least 1 ms, got " + fetchTimeout);
        }
        if (emitInterval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "the emit interval must be at least 1 ms, got " + emitInterval);
        }
    }

    /** Open taxonomy, the default limits, emission every second, 10% of the images held out. */
    public static IngestConfig defaults() {
        return new IngestConfig(
                Set.of(),
                32L << 20,
                1L << 20,
                40_000_000L,
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                new HeldOutSplit(0.1));
    }

    public IngestConfig withTaxonomy(Set<String> classes) {
        return new IngestConfig(
                classes,
                maxImageBytes,
                maxInlineBytes,
                maxPixels,
                fetchTimeout,
                emitInterval,
                heldOut);
    }

    public IngestConfig withLimits(long imageBytes, long inlineBytes, long pixels) {
        return new IngestConfig(
                taxonomy, imageBytes, inlineBytes, pixels, fetchTimeout, emitInterval, heldOut);
    }

    public IngestConfig withFetchTimeout(Duration timeout) {
        return new IngestConfig(
                taxonomy, maxImageBytes, maxInlineBytes, maxPixels, timeout, emitInterval, heldOut);
    }

    public IngestConfig withEmitInterval(Duration interval) {
        return new IngestConfig(
                taxonomy,
                maxImageBytes,
                maxInlineBytes,
                maxPixels,
                fetchTimeout,
                interval,
                heldOut);
    }

    public IngestConfig withHeldOut(HeldOutSplit split) {
        return new IngestConfig(
                taxonomy,
                maxImageBytes,
                maxInlineBytes,
                maxPixels,
                fetchTimeout,
                emitInterval,
                split);
    }

    /** Whether unknown classes are rejected. */
    public boolean taxonomyClosed() {
        return !taxonomy.isEmpty();
    }
}
