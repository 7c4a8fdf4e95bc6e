package eagle.gateway;

import java.nio.file.Path;

/**
 * One immutable file the gateway serves, with its own digest (its ETag) and the encoder version it
 * belongs to.
 *
 * @param path where it lies
 * @param sha256 its digest (hex), the strong ETag
 * @param sizeBytes its length
 * @param mediaType its content type
 * @param model the model it belongs to
 * @param version the registry version it was made from
 * @param artifactSha256 the digest of that version's artifact (equal to {@code sha256} for the
 *     weights)
 */
public record ServedFile(
        Path path,
        String sha256,
        long sizeBytes,
        String mediaType,
        String model,
        int version,
        String artifactSha256) {}
