package eagle.ingest;

import java.util.Optional;

/**
 * An interactive query's answer for one class: found here, found on another instance (host:port),
 * or not found. {@link ClassStatisticsResource} maps them to 200 / 303 / 404.
 */
public sealed interface StatisticsResult {

    record Found(ClassStatistics statistics) implements StatisticsResult {}

    record FoundElsewhere(String host, int port) implements StatisticsResult {}

    record NotFound(String className) implements StatisticsResult {}

    static StatisticsResult of(String className, Optional<ClassStatistics> local) {
        return local.<StatisticsResult>map(Found::new).orElse(new NotFound(className));
    }
}
