package eagle.trainer;

/**
 * The weights a round starts from: production when the registry has one, else the embedded base.
 *
 * @param sha256 digest of the weights (cached as {@code STATE/weights/<sha256>.safetensors})
 * @param version the registry version; null for the embedded base before it is registered
 */
public record Parent(String sha256, Integer version) {

    public boolean registered() {
        return version != null;
    }

    @Override
    public String toString() {
        return version == null ? "embedded base " + sha256.substring(0, 12) : "version " + version;
    }
}
