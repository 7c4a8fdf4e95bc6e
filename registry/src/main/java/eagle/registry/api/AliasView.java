package eagle.registry.api;

import java.time.Instant;

/**
 * Where an alias points (now, or at a requested time): the version and its artifact digest (the
 * two-step resolution of docs/ARCHITECTURE.md, Serving), and the history entry that put it there.
 */
public record AliasView(
        String model,
        String alias,
        int version,
        String sha256,
        long historyId,
        Instant since,
        String movedBy,
        String reason,
        String evaluationId) {}
