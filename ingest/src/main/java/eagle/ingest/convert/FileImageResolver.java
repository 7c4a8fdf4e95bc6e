package eagle.ingest.convert;

import eagle.contracts.AnnotationEvent;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves {@code http(s)://} and {@code file://} URIs as they are and other references as paths
 * relative to a base folder (falling back to the file name alone, as Label Studio's {@code
 * /data/upload/1/x.png} references need); reads the bytes to compute the digest.
 */
public final class FileImageResolver implements ImageResolver {

    private final Path base;
    private final HttpClient http = HttpClient.newHttpClient();

    public FileImageResolver(Path base) {
        this.base = base.toAbsolutePath().normalize();
    }

    @Override
    public AnnotationEvent.ImageRef resolve(String reference) throws IOException {
        if (reference.startsWith("http://") || reference.startsWith("https://")) {
            try {
                HttpResponse<byte[]> response =
                        http.send(
                                HttpRequest.newBuilder(URI.create(reference)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IOException(
                            "GET " + reference + " answered " + response.statusCode());
                }
                return AnnotationEvent.ImageRef.of(
                        reference, AnnotationEvent.sha256Hex(response.body()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted reading " + reference, e);
            }
        }
        Path path =
                reference.startsWith("file://")
                        ? Path.of(URI.create(reference))
                        : locate(reference);
        return AnnotationEvent.ImageRef.of(
                path.toUri().toString(), AnnotationEvent.sha256Hex(Files.readAllBytes(path)));
    }

    private Path locate(String reference) throws FileNotFoundException {
        String relative = reference.startsWith("/") ? reference.substring(1) : reference;
        Path direct = base.resolve(relative);
        if (Files.isRegularFile(direct)) {
            return direct;
        }
        Path byName = base.resolve(Path.of(relative).getFileName());
        if (Files.isRegularFile(byName)) {
            return byName;
        }
        throw new FileNotFoundException("image " + reference + " not found under " + base);
    }
}
