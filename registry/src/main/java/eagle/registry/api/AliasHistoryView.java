package eagle.registry.api;

import eagle.registry.model.AliasHistoryEntry;
import java.time.Instant;

/** One alias history entry as the API shows it. */
public record AliasHistoryView(
        long id,
        Integer from,
        int to,
        AliasHistoryEntry.Action action,
        String movedBy,
        String reason,
        String evaluationId,
        Instant movedAt) {

    public static AliasHistoryView of(AliasHistoryEntry e) {
        return new AliasHistoryView(
                e.id,
                e.fromNumber,
                e.toNumber,
                e.action,
                e.movedBy,
                e.reason,
                e.evaluationId == null ? null : e.evaluationId.toString(),
                e.movedAt);
    }
}
