package eagle.ingest.validate;

import eagle.contracts.DeadLetter.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads image bytes behind a claim-check URI ({@code file://}, {@code http://}, {@code https://}),
 * refusing more than {@code maxBytes}.
 */
public final class ImageSource {

    private final HttpClient http;
    private final Duration timeout;

    public ImageSource(Duration timeout) {
        this.timeout = timeout;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
    }

    /**
     * @throws Rejection IMAGE_UNREACHABLE when it cannot be read, TOO_LARGE above {@code maxBytes}
     */
    public byte[] fetch(String uri, long maxBytes) throws Rejection {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new Rejection(Reason.IMAGE_UNREACHABLE, "malformed image uri " + uri, e);
        }
        try {
            if ("file".equals(parsed.getScheme())) {
                Path path = Path.of(parsed);
                long size = Files.isRegularFile(path) ? Files.size(path) : -1;
                if (size > maxBytes) {
                    throw new Rejection(
                            Reason.TOO_LARGE,
                            "image " + uri + " has " + size + " bytes, limit " + maxBytes);
                }
                if (size >= 0) {
                    // a regular file within the limit: read at its size (the limit is checked again
                    // on what was read)
                    byte[] bytes = Files.readAllBytes(path);
                    if (bytes.length > maxBytes) {
                        throw new Rejection(
                                Reason.TOO_LARGE,
                                "image " + uri + " exceeds " + maxBytes + " bytes");
                    }
                    return bytes;
                }
                try (InputStream in = Files.newInputStream(path)) {
                    return readAtMost(in, maxBytes, uri);
                }
            }
            HttpRequest request = HttpRequest.newBuilder(parsed).timeout(timeout).GET().build();
            HttpResponse<InputStream> response =
                    http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new Rejection(
                            Reason.IMAGE_UNREACHABLE,
                            "GET " + uri + " answered " + response.statusCode());
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > maxBytes) {
                    throw new Rejection(
                            Reason.TOO_LARGE,
                            "image " + uri + " has " + declared + " bytes, limit " + maxBytes);
                }
                return readAtMost(in, maxBytes, uri);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new Rejection(Reason.IMAGE_UNREACHABLE, "cannot read " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Rejection(Reason.IMAGE_UNREACHABLE, "interrupted while reading " + uri, e);
        }
    }

    private static byte[] readAtMost(InputStream in, long maxBytes, String uri)
            throws IOException, Rejection {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
            if (total > maxBytes) {
                throw new Rejection(
                        Reason.TOO_LARGE, "image " + uri + " exceeds " + maxBytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
