package eagle.ingest;

import eagle.contracts.DeadLetter;
import eagle.contracts.DeadLetter.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The dead letters this process wrote: counts by reason code and the latest few, each with a
 * bounded excerpt of the rejected record's bytes. In memory only: it starts empty when the service
 * starts (the dead-letter topic keeps every letter). Thread-safe.
 */
public final class DeadLetterLog {

    /**
     * One kept dead letter; {@code excerpt} is the first {@code excerptBytes} bytes read as UTF-8
     * (lossy).
     */
    public record Entry(
            Reason reason,
            String error,
            String imageId,
            String topic,
            int partition,
            long offset,
            String rejectedAt,
            int bytes,
            String excerpt,
            boolean truncated) {}

    /**
     * Counts by reason (every reason code, zero included), their total and the latest letters,
     * newest first.
     */
    public record Snapshot(Map<Reason, Long> byReason, long total, List<Entry> latest) {}

    private final int kept;
    private final int excerptBytes;
    private final Map<Reason, Long> counts = new EnumMap<>(Reason.class);
    private final ArrayDeque<Entry> latest;
    private long total;

    public DeadLetterLog(int kept, int excerptBytes) {
        this.kept = kept;
        this.excerptBytes = excerptBytes;
        this.latest = new ArrayDeque<>(kept);
        for (Reason r : Reason.values()) {
            counts.put(r, 0L);
        }
    }

    /**
     * Notes {@code letter}, whose record held {@code original} (null for a record without a value).
     */
    public void add(DeadLetter letter, byte[] original) {
        int length = original == null ? 0 : original.length;
        int cut = Math.min(length, excerptBytes);
        String excerpt =
                original == null ? null : new String(original, 0, cut, StandardCharsets.UTF_8);
        Entry e =
                new Entry(
                        letter.reason(),
                        letter.error(),
                        letter.imageId(),
                        letter.topic(),
                        letter.partition(),
                        letter.offset(),
                        letter.rejectedAt(),
                        length,
                        excerpt,
                        cut < length);
        synchronized (this) {
            counts.merge(letter.reason(), 1L, Long::sum);
            total++;
            if (latest.size() == kept) {
                latest.removeLast();
            }
            latest.addFirst(e);
        }
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(new EnumMap<>(counts), total, new ArrayList<>(latest));
    }
}
