package eagle.ingest.validate;

import eagle.contracts.DeadLetter.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads image bytes behind a claim-check URI ({@code file://}, {@code http://}, {@code https://}),
 * refusing more than {@code maxBytes}.
 *
 * <p>An http(s) fetch runs inside the stream thread, so the whole of it (connecting, waiting for
 * the answer, reading the body) is bounded by one timeout ({@code eagle.ingest.fetch-timeout}): a
 * slow or hanging image server costs at most that for its own record, which is rejected {@code
 * IMAGE_UNREACHABLE} with an error that starts {@value #TIMED_OUT}, and the stream goes on.
 */
public final class ImageSource {

    /** How the error of a fetch that ran out of time starts. */
    public static final String TIMED_OUT = "image fetch timed out";

    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param timeout bound of one whole http(s) fetch, connecting included; positive
     */
    public ImageSource(Duration timeout) {
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "the fetch timeout must be at least 1 ms, got " + timeout);
        }
        this.timeout = timeout;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
    }

    /**
     * @throws Rejection IMAGE_UNREACHABLE when it cannot be read or an http(s) fetch does not
     *     complete within the timeout, TOO_LARGE above {@code maxBytes}
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
            return fetchHttp(parsed, uri, maxBytes);
        } catch (IOException | IllegalArgumentException e) {
            throw new Rejection(Reason.IMAGE_UNREACHABLE, "cannot read " + uri, e);
        }
    }

    /**
     * GET with the whole exchange bounded by the timeout: the request's own timeout covers the wait
     * for the answer's headers, the wait on the future covers the body too; on expiry the exchange
     * is cancelled.
     */
    private byte[] fetchHttp(URI parsed, String uri, long maxBytes) throws Rejection {
        HttpRequest request = HttpRequest.newBuilder(parsed).timeout(timeout).GET().build();
        CompletableFuture<HttpResponse<byte[]>> answer =
                http.sendAsync(
                        request,
                        info ->
                                info.statusCode() == 200
                                        ? new BoundedBody(
                                                maxBytes,
                                                info.headers()
                                                        .firstValueAsLong("Content-Length")
                                                        .orElse(-1))
                                        : HttpResponse.BodySubscribers.replacing(null));
        HttpResponse<byte[]> response;
        try {
            response = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw timedOut(uri);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new Rejection(Reason.IMAGE_UNREACHABLE, "interrupted while reading " + uri, e);
        } catch (ExecutionException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof BoundedBody.TooLarge) {
                    throw new Rejection(Reason.TOO_LARGE, "image " + uri + " " + c.getMessage());
                }
                if (c instanceof HttpTimeoutException) {
                    throw timedOut(uri);
                }
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Rejection(Reason.IMAGE_UNREACHABLE, "cannot read " + uri, cause);
        }
        if (response.statusCode() != 200) {
            throw new Rejection(
                    Reason.IMAGE_UNREACHABLE, "GET " + uri + " answered " + response.statusCode());
        }
        return response.body();
    }

    private Rejection timedOut(String uri) {
        return new Rejection(
                Reason.IMAGE_UNREACHABLE,
                TIMED_OUT
                        + ": GET "
                        + uri
                        + " did not complete within "
                        + timeout.toMillis()
                        + " ms (eagle.ingest.fetch-timeout)");
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
