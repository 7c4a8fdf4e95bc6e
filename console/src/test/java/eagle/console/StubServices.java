package eagle.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Test doubles of the trainer, ingest and the gateway on one local HTTP server, answering the
 * services' own paths with bodies in their records' shapes (TrainerStatus, ClassStatistics, the
 * gateway's metadata and ProductionChange events), and recording each request's Authorization
 * header. The console is pointed at it for all three (registry and evaluator left unconfigured);
 * {@link #moved} pushes a MOVED event to every open gateway event stream.
 */
public class StubServices implements QuarkusTestResourceLifecycleManager {

    static final String READ_TOKEN = "console-read-token";
    static final String MODEL = "clip-live";

    /** "METHOD path Authorization" of every request, in order */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    private static final List<BlockingQueue<String>> STREAMS = new CopyOnWriteArrayList<>();

    private HttpServer server;

    static void moved(int version) {
        String event =
                "{\"type\":\"MOVED\",\"model\":\""
                        + MODEL
                        + "\",\"version\":"
                        + version
                        + ",\"sha256\":\""
                        + "ab".repeat(32)
                        + "\",\"previousVersion\":"
                        + (version - 1)
                        + ",\"cause\":\"kafka\",\"at\":\"2026-12-03T02:40:00Z\"}";
        STREAMS.forEach(q -> q.add(event));
    }

    static int openStreams() {
        return STREAMS.size();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
        String base = "http://localhost:" + server.getAddress().getPort();
        return Map.of(
                "eagle.console.model", MODEL,
                "eagle.console.services.registry.url", "",
                "eagle.console.services.evaluator.url", "",
                "eagle.console.services.trainer.url", base,
                "eagle.console.services.trainer.read-token", READ_TOKEN,
                "eagle.console.services.ingest.url", base,
                "eagle.console.services.gateway.url", base,
                "eagle.console.services.gateway.read-token", READ_TOKEN);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String auth = x.getRequestHeaders().getFirst("Authorization");
        SEEN.add(
                x.getRequestMethod()
                        + " "
                        + path
                        + (x.getRequestURI().getRawQuery() == null
                                ? ""
                                : "?" + x.getRequestURI().getRawQuery())
                        + " "
                        + auth);
        switch (x.getRequestMethod() + " " + path) {
            case "GET /api/v1/status" ->
                    json(
                            x,
                            200,
                            """
                    {"device":"cpu()","phase":"TRAINING","round":3,"step":12,"totalSteps":40,
                     "lastLosses":null,"samplesPerSecond":6.5,"newSamples":4,"newClasses":2,"minSamples":32,
                     "minClasses":3,"skipped":1,"lastSkipReason":"image missing","bufferSize":180,
                     "bufferCapacity":512,"bufferFill":{"cat":60,"dog":70,"person":50},"completedRounds":2,
                     "pendingUploads":0,"lastCandidateVersion":4,
                     "lossCurve":[2.31,2.2,2.05,1.98,1.9,1.84,1.8,1.71,1.69,1.62,1.6,1.55],"error":null}""");
            case "POST /api/v1/rounds" -> {
                if (auth == null) {
                    x.sendResponseHeaders(401, -1);
                    x.close();
                } else {
                    json(x, 202, "{\"requested\":true}");
                }
            }
            case "GET /statistics/classes" ->
                    json(
                            x,
                            200,
                            """
                    [{"className":"cat","instances":120,"images":90,"cooccurrence":{"dog":12}},
                     {"className":"dog","instances":140,"images":100,"cooccurrence":{"cat":12}},
                     {"className":"person","instances":310,"images":200,"cooccurrence":{}}]""");
            case "GET /statistics/flow" ->
                    json(
                            x,
                            200,
                            """
                    {"since":"2026-12-03T02:00:00Z","at":"2026-12-03T02:30:00Z","records":9000,"validatedInstances":8700,
                     "deadLetters":300,"recordsPerSecond":42.5,"validatedInstancesPerSecond":40.1,"rateWindowSeconds":10,
                     "emissions":800,"emissionLagMeanMillis":1180.4,"emissionLagMaxMillis":2010.0}""");
            case "GET /statistics/dead-letters" ->
                    json(
                            x,
                            200,
                            """
                    {"byReason":{"UNPARSABLE":2,"SCHEMA":1,"DUPLICATE":297},"total":300,"latest":[
                     {"reason":"UNPARSABLE","error":"not a JSON object","imageId":"img-7","topic":"eagle.annotations.v1",
                      "partition":0,"offset":812,"rejectedAt":"2026-12-03T02:29:58Z","bytes":9,"excerpt":"{oops <b>","truncated":false}]}""");
            case "GET /v1/encoders/" + MODEL ->
                    json(
                            x,
                            200,
                            "{\"model\":\""
                                    + MODEL
                                    + "\",\"alias\":\"production\","
                                    + "\"version\":4,\"sha256\":\""
                                    + "cd".repeat(32)
                                    + "\",\"previousVersion\":3,"
                                    + "\"servingSince\":\"2026-12-03T02:30:00Z\",\"evaluation\":{\"passed\":true,\"suiteId\":\"suite-v1\"}}");
            case "GET /v1/encoders/" + MODEL + "/events" -> events(x);
            default ->
                    json(
                            x,
                            404,
                            "{\"status\":404,\"code\":\"NOT_FOUND\",\"reason\":\"no stub for "
                                    + path
                                    + "\"}");
        }
    }

    /** CURRENT at once, then whatever {@link #moved} queues, until the client goes away. */
    private void events(HttpExchange x) throws IOException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        queue.add(
                "{\"type\":\"CURRENT\",\"model\":\""
                        + MODEL
                        + "\",\"version\":4,\"sha256\":\""
                        + "cd".repeat(32)
                        + "\",\"previousVersion\":3,\"cause\":\"start\",\"at\":\"2026-12-03T02:30:00Z\"}");
        x.getResponseHeaders().add("Content-Type", "text/event-stream");
        x.sendResponseHeaders(200, 0);
        STREAMS.add(queue);
        try (OutputStream out = x.getResponseBody()) {
            while (true) {
                String event = queue.poll(30, TimeUnit.SECONDS);
                out.write(
                        (event == null ? ": keep-alive\n\n" : "data: " + event + "\n\n")
                                .getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            STREAMS.remove(queue);
        }
    }

    private static void json(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
