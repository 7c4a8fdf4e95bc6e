package eagle.registry.api;

/**
 * {@code PUT /api/v1/models/{model}/aliases/{alias}}: point the alias at {@code version}.
 *
 * @param version target version (must be READY)
 * @param reason why (required, kept in the alias history)
 * @param evaluationId the evaluation of {@code version} the move relies on; for {@code production}
 *     it must have passed, and when absent the version's latest passing evaluation is used
 */
public record MoveAliasRequest(Integer version, String reason, String evaluationId) {}
