package eagle.gateway;

/**
 * The body of every refused request: the HTTP status, a stable code a client can branch on, the
 * reason in words.
 */
public record ApiError(int status, String code, String reason) {}
