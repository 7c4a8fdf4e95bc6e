package eagle.registry.api;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The authenticated principal's name, as recorded in created_by / moved_by columns (at most 128
 * characters).
 */
final class Actor {

    private Actor() {}

    static String of(SecurityIdentity identity) {
        String name = identity.getPrincipal().getName();
        return name.length() <= 128 ? name : name.substring(0, 128);
    }
}
