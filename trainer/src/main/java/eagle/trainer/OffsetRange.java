package eagle.trainer;

/**
 * One entry of a round's data manifest: the records of {@code topic}-{@code partition} with offsets in
 * [{@code fromOffset}, {@code untilOffset}) were consumed by the round (the registry's format).
 */
public record OffsetRange(String topic, int partition, long fromOffset, long untilOffset) {
}
