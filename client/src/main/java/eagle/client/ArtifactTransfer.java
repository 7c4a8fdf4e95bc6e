package eagle.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * The bytes of a version's artifact ({@code .../versions/V/artifact}) to and from the registry,
 * streamed under the transfer timeout (60 times a JSON call's) rather than read into memory: the
 * upload, the raw stream and the download verified against its digest behind {@link
 * RegistryClient#upload}, {@link RegistryClient#openArtifact} and {@link RegistryClient#download}.
 */
final class ArtifactTransfer {

    private final RegistryHttp api;

    ArtifactTransfer(RegistryHttp api) {
        this.api = api;
    }

    /** PUTs the file as the artifact; the registry verifies its size and digest. */
    void upload(String model, int version, Path artifact) throws IOException {
        HttpRequest req =
                api.request(artifactPath(model, version))
                        .timeout(api.transferTimeout())
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofFile(artifact))
                        .build();
        api.exchange(req);
    }

    /** The artifact's bytes as they arrive; anything but a 200 is a {@link RegistryException}. */
    InputStream open(String model, int version) {
        HttpRequest req =
                api.request(artifactPath(model, version))
                        .timeout(api.transferTimeout())
                        .GET()
                        .build();
        HttpResponse<InputStream> r = api.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw RegistryHttp.unavailable(req, e);
            }
            RegistryHttp.requireSuccess(r, body);
            throw RegistryHttp.refused(r, body); // a 2xx other than 200 (no body to stream)
        }
        return r.body();
    }

    /**
     * Streams the artifact to a sibling temporary file of {@code target}, digesting it on the way,
     * and moves it into place only when the digest is {@code sha256}; otherwise the temporary file
     * is deleted and {@link DigestMismatchException} thrown.
     */
    void download(String model, int version, String sha256, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(target.getFileName() + ".download");
        MessageDigest digest = Sha256.digest();
        try (InputStream in = new DigestInputStream(open(model, version), digest)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new RegistryUnavailableException(
                    "downloading " + model + " v" + version + ": " + e, e);
        }
        String actual = Sha256.hex(digest.digest());
        if (!actual.equalsIgnoreCase(sha256)) {
            Files.deleteIfExists(tmp);
            throw new DigestMismatchException(
                    "GET " + api.uriOf(artifactPath(model, version)), sha256, actual);
        }
        Files.move(
                tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String artifactPath(String model, int version) {
        return RegistryHttp.versionPath(model, version) + "/artifact";
    }
}
