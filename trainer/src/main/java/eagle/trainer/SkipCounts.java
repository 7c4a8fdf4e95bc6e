package eagle.trainer;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** Skips per {@link SkipReason}, and the latest one's description; thread-safe. */
public final class SkipCounts {

    private final EnumMap<SkipReason, Long> counts = new EnumMap<>(SkipReason.class);
    private String lastReason;

    /** Counts restored from a state file ({@code null}: none yet). */
    public static SkipCounts of(Map<String, Long> stored) {
        SkipCounts c = new SkipCounts();
        if (stored != null) {
            stored.forEach((k, v) -> c.counts.put(SkipReason.valueOf(k), v));
        }
        return c;
    }

    /** Replaces the counts by stored ones ({@code null}: none). */
    public synchronized void reset(Map<String, Long> stored) {
        counts.clear();
        if (stored != null) {
            stored.forEach((k, v) -> counts.put(SkipReason.valueOf(k), v));
        }
    }

    public synchronized void add(SkipReason reason, String description) {
        counts.merge(reason, 1L, Long::sum);
        lastReason = description;
    }

    public synchronized void addAll(SkipCounts other) {
        Map<String, Long> theirs = other.snapshot();
        theirs.forEach((k, v) -> counts.merge(SkipReason.valueOf(k), v, Long::sum));
        if (other.lastReason() != null) {
            lastReason = other.lastReason();
        }
    }

    public synchronized long get(SkipReason reason) {
        return counts.getOrDefault(reason, 0L);
    }

    /** Skipped records, images and instances in all. */
    public synchronized long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized String lastReason() {
        return lastReason;
    }

    public synchronized void clear() {
        counts.clear();
    }

    /** reason name → count, sorted by name (the form state files and the status carry) */
    public synchronized Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }
}
