package eagle.ingest;

import static eagle.ingest.TestImages.column;
import static eagle.ingest.TestImages.event;
import static eagle.ingest.TestImages.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.DeadLetter;
import eagle.contracts.DeadLetter.Reason;
import eagle.contracts.SampleEvent;
import eagle.contracts.Topics;
import eagle.ingest.blob.FileBlobStore;
import eagle.ingest.validate.ImageSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow image server stalls ingest for at most the fetch timeout per record: its records are
 * dead-lettered with a timed-out error and the records around them, served by a normal server,
 * become samples. The slow server answers after 30 s (or, on its other path, sends the headers and
 * part of the body, then waits 30 s); both waits end when the test ends.
 */
class SlowImageServerTest {

    /** The fetch timeout of this test; the slow server waits 15 times as long. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final Duration SLOW = Duration.ofSeconds(30);

    @TempDir Path dir;

    private final CountDownLatch released = new CountDownLatch(1);
    private HttpServer normal;
    private HttpServer slow;
    private ExecutorService slowThreads;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> annotations;
    private TestOutputTopic<String, SampleEvent> samples;
    private TestOutputTopic<String, DeadLetter> dlq;

    @BeforeEach
    void start() throws IOException {
        normal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        normal.createContext(
                "/",
                exchange -> {
                    byte[] body = imageFor(exchange);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        normal.start();

        slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slowThreads = Executors.newCachedThreadPool();
        slow.setExecutor(slowThreads); // a waiting handler must not hold up the next request
        slow.createContext(
                "/late/",
                exchange -> {
                    awaitRelease(); // no answer for 30 s
                    byte[] body = imageFor(exchange);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        slow.createContext(
                "/stalled/",
                exchange -> {
                    byte[] body = imageFor(exchange);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body, 0, body.length / 2);
                        out.flush();
                        awaitRelease(); // the headers and half the body, then 30 s of nothing
                        out.write(body, body.length / 2, body.length - body.length / 2);
                    }
                });
        slow.start();

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-slow-image-server-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        IngestConfig config =
                IngestConfig.defaults().withHeldOut(new HeldOutSplit(0)).withFetchTimeout(TIMEOUT);
        driver =
                new TopologyTestDriver(
                        TopologyProducer.topology(
                                config,
                                new FileBlobStore(dir.resolve("blobs")),
                                new IngestMetrics(
                                        new SimpleMeterRegistry(), System::currentTimeMillis)),
                        props);
        annotations =
                driver.createInputTopic(
                        Topics.ANNOTATIONS, new StringSerializer(), new ByteArraySerializer());
        samples =
                driver.createOutputTopic(
                        Topics.SAMPLES,
                        new StringDeserializer(),
                        JsonSerde.of(SampleEvent.class).deserializer());
        dlq =
                driver.createOutputTopic(
                        Topics.ANNOTATIONS_DLQ,
                        new StringDeserializer(),
                        JsonSerde.of(DeadLetter.class).deserializer());
    }

    @AfterEach
    void stop() {
        released.countDown();
        driver.close();
        normal.stop(0);
        slow.stop(0);
        slowThreads.shutdownNow();
    }

    private void awaitRelease() {
        try {
            released.await(SLOW.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The image of a path's last segment, e.g. {@code /late/b.png} → image "b". */
    private static byte[] imageFor(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        String id = path.substring(path.lastIndexOf('/') + 1, path.length() - ".png".length());
        return png(3, 4, id.hashCode());
    }

    /**
     * An annotation of image {@code id} whose bytes are served at {@code server}'s {@code path}.
     */
    private static AnnotationEvent overHttp(HttpServer server, String path, String id) {
        AnnotationEvent.ImageRef image =
                AnnotationEvent.ImageRef.of(
                        "http://127.0.0.1:" + server.getAddress().getPort() + path + id + ".png",
                        AnnotationEvent.sha256Hex(png(3, 4, id.hashCode())));
        return event(id, id + "/0", "cat", column(3, 4, 1), image);
    }

    private void send(AnnotationEvent event) {
        try {
            annotations.pipeInput(event.imageId(), JsonSerde.MAPPER.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSlowServerCostsAtMostTheTimeoutPerRecordAndTheStreamGoesOn() {
        long t0 = System.nanoTime();
        send(overHttp(normal, "/", "a"));
        send(overHttp(slow, "/late/", "b")); // no answer within the timeout
        send(overHttp(normal, "/", "c"));
        send(overHttp(slow, "/stalled/", "d")); // an answer whose body stops half-way
        send(overHttp(normal, "/", "e"));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        driver.advanceWallClockTime(IngestConfig.defaults().emitInterval());

        // the two slow records cost about a timeout each, far from the server's 30 s
        assertTrue(
                elapsed.compareTo(TIMEOUT.multipliedBy(2).plusSeconds(10)) < 0,
                "five records took " + elapsed);

        Map<String, DeadLetter> letters = new TreeMap<>();
        dlq.readRecordsToList().forEach(r -> letters.put(r.key(), r.value()));
        assertEquals(List.of("b", "d"), List.copyOf(letters.keySet()));
        for (DeadLetter letter : letters.values()) {
            assertEquals(Reason.IMAGE_UNREACHABLE, letter.reason());
            assertTrue(
                    letter.error().startsWith(ImageSource.TIMED_OUT + ": GET http://127.0.0.1:"),
                    letter.error());
            assertTrue(letter.error().contains("within 2000 ms"), letter.error());
        }

        Map<String, SampleEvent> emitted = new TreeMap<>();
        samples.readRecordsToList().forEach(r -> emitted.put(r.key(), r.value()));
        assertEquals(List.of("a", "c", "e"), List.copyOf(emitted.keySet()));
        emitted.forEach(
                (id, sample) ->
                        assertEquals(
                                AnnotationEvent.sha256Hex(png(3, 4, id.hashCode())),
                                sample.image().sha256(),
                                id));
    }
}
