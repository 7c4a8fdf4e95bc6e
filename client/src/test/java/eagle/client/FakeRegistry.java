package eagle.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry stand-in on a local port: canned answers per "METHOD path?query", and every request
 * recorded.
 */
final class FakeRegistry implements AutoCloseable {

    record Answer(int status, String contentType, byte[] body) {
        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }
    }

    record Received(String method, String pathAndQuery, String authorization, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeRegistry answer(String methodAndPath, Answer answer) {
        answers.put(methodAndPath, answer);
        return this;
    }

    FakeRegistry json(String methodAndPath, int status, String body) {
        return answer(methodAndPath, Answer.json(status, body));
    }

    private void handle(HttpExchange ex) throws IOException {
        String pq =
                ex.getRequestURI().getRawPath()
                        + (ex.getRequestURI().getRawQuery() == null
                                ? ""
                                : "?" + ex.getRequestURI().getRawQuery());
        byte[] in = ex.getRequestBody().readAllBytes();
        received.add(
                new Received(
                        ex.getRequestMethod(),
                        pq,
                        ex.getRequestHeaders().getFirst("Authorization"),
                        in));
        Answer a =
                answers.getOrDefault(
                        ex.getRequestMethod() + " " + pq,
                        Answer.json(
                                404,
                                "{\"status\":404,\"code\":\"NOT_FOUND\",\"reason\":\"nothing at "
                                        + pq
                                        + "\"}"));
        ex.getResponseHeaders().add("Content-Type", a.contentType());
        ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(a.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
