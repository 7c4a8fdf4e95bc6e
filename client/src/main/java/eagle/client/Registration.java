package eagle.client;

/**
 * The answer to registering a version: its number and whether its artifact is already stored (the
 * same sha256 registered before answers the existing version, {@code ready} once uploaded).
 */
public record Registration(int version, String sha256, boolean ready) {}
