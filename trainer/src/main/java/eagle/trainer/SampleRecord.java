package eagle.trainer;

/**
 * A consumed {@code eagle.samples.v1} record kept in a round's intake: its position, key and value
 * ({@code null} for a tombstone, which retracts the image).
 */
public record SampleRecord(int partition, long offset, String key, String value) {

    public boolean tombstone() {
        return value == null;
    }
}
