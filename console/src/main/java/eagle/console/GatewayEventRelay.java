package eagle.console;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /events/gateway/{model}}: the gateway's server-sent production moves ({@code
 * /v1/encoders/{model}/events}: CURRENT on connect, then MOVED; docs/ARCHITECTURE.md, Serving)
 * relayed to the page, each event's JSON as the data of one event. The upstream stream is opened
 * with the gateway's configured read token and closed when the page goes away. When the gateway
 * refuses or drops the stream, the page's stream ends too (no error status), and the browser's
 * EventSource reconnects by itself.
 */
@Path("/events/gateway/{model}")
public class GatewayEventRelay {

    private static final Logger LOG = Logger.getLogger(GatewayEventRelay.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    @Inject ConsoleConfig config;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ExecutorService readers =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "console-sse-relay");
                        t.setDaemon(true);
                        return t;
                    });

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> events(@PathParam("model") String model) {
        ConsoleConfig.Service gateway = config.service("gateway").orElse(null);
        if (gateway == null || !NAME.matcher(model).matches() || model.contains("..")) {
            return Multi.createFrom().empty();
        }
        URI uri =
                URI.create(
                        ServiceUrls.join(gateway.url().get(), "v1/encoders/" + model + "/events"));
        HttpRequest.Builder req =
                HttpRequest.newBuilder(uri).header("Accept", MediaType.SERVER_SENT_EVENTS);
        gateway.readToken().ifPresent(t -> req.header("Authorization", "Bearer " + t));
        return Multi.createFrom()
                .emitter(emitter -> readers.submit(() -> relay(req.build(), emitter)));
    }

    private void relay(HttpRequest req, MultiEmitter<? super String> emitter) {
        try {
            HttpResponse<Stream<String>> r = http.send(req, HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                r.body().close();
                LOG.warnf("gateway events: %s answered %d", req.uri(), r.statusCode());
                emitter.complete();
                return;
            }
            try (Stream<String> lines = r.body()) {
                emitter.onTermination(lines::close);
                StringBuilder data = new StringBuilder();
                for (var it = lines.iterator(); it.hasNext() && !emitter.isCancelled(); ) {
                    String line = it.next();
                    if (line.startsWith("data:")) {
                        data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        emitter.emit(data.toString());
                        data.setLength(0);
                    }
                }
            }
            emitter.complete();
        } catch (IOException | RuntimeException e) {
            if (!emitter.isCancelled()) {
                LOG.warnf("gateway events: %s: %s", req.uri(), e.toString());
                emitter.complete();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        }
    }

    @PreDestroy
    void stop() {
        readers.shutdownNow();
    }
}
