package eagle.contracts;

/**
 * One entry of a training run's data manifest (the registry's {@code trainingRun.dataManifest}):
 * the records of {@code topic}-{@code partition} with offsets in the half-open range [{@code
 * fromOffset}, {@code untilOffset}) were trained on. The fields are boxed so that a reader (the
 * registry) can tell a missing field from 0 and refuse it.
 */
public record OffsetRange(String topic, Integer partition, Long fromOffset, Long untilOffset) {

    /** A complete range, as a writer (the trainer) builds it. */
    public static OffsetRange of(String topic, int partition, long fromOffset, long untilOffset) {
        return new OffsetRange(topic, partition, fromOffset, untilOffset);
    }

    /** How many offsets the range spans. */
    public long count() {
        return untilOffset - fromOffset;
    }
}
