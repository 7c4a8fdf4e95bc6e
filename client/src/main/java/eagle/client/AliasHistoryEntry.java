package eagle.client;

/**
 * One entry of an alias's history ({@code AliasHistoryView}).
 *
 * @param from the version it pointed at before (null for the first move)
 * @param action the registry's action ({@code MOVE}, {@code ROLLBACK}, …)
 */
public record AliasHistoryEntry(
        long id,
        Integer from,
        int to,
        String action,
        String movedBy,
        String reason,
        String evaluationId,
        String movedAt) {}
