package eagle.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code eagle.ingest.*} in application.properties; {@link #toConfig()} gives the immutable record.
 */
@ConfigMapping(prefix = "eagle.ingest")
public interface IngestSettings {

    /** Allowed class names; absent or empty = open taxonomy. */
    Optional<Set<String>> taxonomy();

    @WithDefault("33554432")
    long maxImageBytes();

    @WithDefault("1048576")
    long maxInlineBytes();

    @WithDefault("40000000")
    long maxPixels();

    @WithDefault("10s")
    Duration fetchTimeout();

    /** How often changed images are emitted as samples (wall-clock). */
    @WithDefault("1s")
    Duration emitInterval();

    HeldOut heldout();

    /** Images held out of training ({@link HeldOutSplit}). */
    interface HeldOut {
        /** share of images whose samples go to the held-out topic, by a hash of the image id */
        @WithDefault("0.1")
        double fraction();
    }

    default IngestConfig toConfig() {
        return new IngestConfig(
                taxonomy().orElse(Set.of()),
                maxImageBytes(),
                maxInlineBytes(),
                maxPixels(),
                fetchTimeout(),
                emitInterval(),
                new HeldOutSplit(heldout().fraction()));
    }
}
