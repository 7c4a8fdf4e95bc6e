package eagle.registry.api;

/**
 * {@code POST /api/v1/models/{model}/aliases/{alias}/rollback}: re-point the alias to the previous
 * blessed entry of its history (skipping versions that were rolled back from), or to {@code
 * toVersion} when given, which must be such an earlier blessed entry.
 */
public record RollbackRequest(String reason, Integer toVersion) {}
