package eagle.ingest.validate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import eagle.contracts.DeadLetter.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * http(s) fetches: the bytes, the size limit on declared and on streamed bodies, other statuses.
 */
class ImageSourceHttpTest {

    private static final byte[] BODY = new byte[1000];

    static {
        Arrays.fill(BODY, (byte) 7);
    }

    private HttpServer http;
    private final ImageSource source = new ImageSource(Duration.ofSeconds(10));

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext(
                "/sized",
                exchange -> {
                    exchange.sendResponseHeaders(200, BODY.length); // Content-Length: 1000
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(BODY);
                    }
                });
        http.createContext(
                "/chunked",
                exchange -> {
                    exchange.sendResponseHeaders(200, 0); // no Content-Length
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(BODY);
                    }
                });
        http.createContext(
                "/missing",
                exchange -> {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String uri(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    @Test
    void bodiesWithinTheLimitAreReadWhole() throws Rejection {
        assertArrayEquals(BODY, source.fetch(uri("/sized"), 1000));
        assertArrayEquals(BODY, source.fetch(uri("/chunked"), 1000));
    }

    @Test
    void aDeclaredOrStreamedBodyAboveTheLimitIsTooLarge() {
        Rejection declared = assertThrows(Rejection.class, () -> source.fetch(uri("/sized"), 999));
        assertEquals(Reason.TOO_LARGE, declared.reason());
        assertTrue(declared.getMessage().contains("declares 1000 bytes"), declared.getMessage());
        Rejection streamed =
                assertThrows(Rejection.class, () -> source.fetch(uri("/chunked"), 999));
        assertEquals(Reason.TOO_LARGE, streamed.reason());
        assertTrue(streamed.getMessage().contains("exceeds 999 bytes"), streamed.getMessage());
    }

    @Test
    void anotherStatusOrNoServerIsUnreachable() throws IOException {
        Rejection missing = assertThrows(Rejection.class, () -> source.fetch(uri("/missing"), 999));
        assertEquals(Reason.IMAGE_UNREACHABLE, missing.reason());
        assertTrue(missing.getMessage().endsWith("answered 404"), missing.getMessage());
        String closed = uri("/sized");
        http.stop(0);
        Rejection refused = assertThrows(Rejection.class, () -> source.fetch(closed, 999));
        assertEquals(Reason.IMAGE_UNREACHABLE, refused.reason());
        assertTrue(refused.getMessage().startsWith("cannot read "), refused.getMessage());
    }
}
