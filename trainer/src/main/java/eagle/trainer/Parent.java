package eagle.trainer;

/**
 * The weights a round starts from: production when the registry has one, else the embedded base.
 *
 * @param sha256 digest of the weights (cached as {@code STATE/weights/<sha256>.safetensors})
 * @param version the registry version; null for the embedded base before it is registered
 * @param fineTuned whether the parent itself came out of a round (its registry record names a
 *     parent version); such a parent trains at {@code round.later-lr-scale} × the rate
 */
public record Parent(String sha256, Integer version, boolean fineTuned) {

    /** A parent that did not come out of a round (the base, an imported encoder). */
    public Parent(String sha256, Integer version) {
        this(sha256, version, false);
    }

    public boolean registered() {
        return version != null;
    }

    @Override
    public String toString() {
        return version == null ? "embedded base " + sha256.substring(0, 12) : "version " + version;
    }
}
