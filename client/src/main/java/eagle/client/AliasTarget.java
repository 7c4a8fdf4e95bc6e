package eagle.client;

/**
 * Where an alias points: step one of the two-step resolution (docs/ARCHITECTURE.md, Serving), the
 * version and its artifact's digest, and the evaluation that justified the move (null when none).
 */
public record AliasTarget(
        String model, String alias, int version, String sha256, String evaluationId) {}
