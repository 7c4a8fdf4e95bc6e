package eagle.registry.api;

/**
 * {@code POST /api/v1/models}: a new model name ({@code [a-z0-9][a-z0-9._-]{0,63}}) and an optional
 * description.
 */
public record CreateModelRequest(String name, String description) {}
