package eagle.registry.api;

/**
 * One entry of a training run's data manifest: the records of {@code topic}-{@code partition} with
 * offsets in the half-open range [{@code fromOffset}, {@code untilOffset}) were trained on.
 */
public record OffsetRange(String topic, Integer partition, Long fromOffset, Long untilOffset) {
}
