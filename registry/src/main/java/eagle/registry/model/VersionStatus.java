package eagle.registry.model;

/**
 * Life of a version: registered metadata first, usable only once its artifact is whole and
 * verified.
 */
public enum VersionStatus {
    /**
     * metadata registered, artifact not (or not completely, or not correctly) stored: not usable
     */
    PENDING_ARTIFACT,
    /** artifact stored whole and its sha256 matched the declared digest: usable, immutable */
    READY
}
