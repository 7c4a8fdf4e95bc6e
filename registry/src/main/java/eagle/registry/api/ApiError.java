package eagle.registry.api;

/**
 * The body of every refused request: the HTTP status, a stable code a client can branch on, and the
 * reason in words.
 */
public record ApiError(int status, String code, String reason) {}
