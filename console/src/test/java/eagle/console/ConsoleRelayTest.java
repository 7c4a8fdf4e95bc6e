package eagle.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.infra.Browser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's relay against test doubles of the trainer, ingest and gateway ({@link
 * StubServices}): GETs carry the configured read token unless the page sends its own; a POST never
 * gets the console's token, so a service refuses it when the operator gave none; the gateway's
 * server-sent events reach a client; and the Live view in headless Chromium shows the trainer,
 * ingest and gateway and adds a production move as it arrives over SSE.
 */
@QuarkusTest
@QuarkusTestResource(value = StubServices.class, restrictToAnnotatedClass = true)
class ConsoleRelayTest {

    @TestHTTPResource("/")
    URL console;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void getsUseTheReadTokenUnlessThePageSendsOneAndPostsNever() throws Exception {
        HttpResponse<String> status =
                send(HttpRequest.newBuilder(uri("proxy/trainer/api/v1/status")).build());
        assertEquals(200, status.statusCode());
        assertTrue(status.body().contains("\"phase\":\"TRAINING\""), status.body());
        assertTrue(
                StubServices.SEEN.contains("GET /api/v1/status Bearer " + StubServices.READ_TOKEN),
                StubServices.SEEN.toString());

        send(
                HttpRequest.newBuilder(uri("proxy/trainer/api/v1/status?x=1"))
                        .header("Authorization", "Bearer mine")
                        .build());
        assertTrue(
                StubServices.SEEN.contains("GET /api/v1/status?x=1 Bearer mine"),
                StubServices.SEEN.toString());

        HttpResponse<String> refused =
                send(
                        HttpRequest.newBuilder(uri("proxy/trainer/api/v1/rounds"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build());
        assertEquals(401, refused.statusCode(), "the trainer's own refusal comes back");
        assertTrue(
                StubServices.SEEN.contains("POST /api/v1/rounds null"),
                "no token added: " + StubServices.SEEN);

        HttpResponse<String> accepted =
                send(
                        HttpRequest.newBuilder(uri("proxy/trainer/api/v1/rounds"))
                                .header("Authorization", "Bearer operator")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build());
        assertEquals(202, accepted.statusCode());
        assertTrue(
                StubServices.SEEN.contains("POST /api/v1/rounds Bearer operator"),
                StubServices.SEEN.toString());

        HttpResponse<String> unknown =
                send(HttpRequest.newBuilder(uri("proxy/elsewhere/x")).build());
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("UNKNOWN_SERVICE"), unknown.body());
        HttpResponse<String> unconfigured =
                send(HttpRequest.newBuilder(uri("proxy/registry/api/v1/models")).build());
        assertEquals(
                404,
                unconfigured.statusCode(),
                "registry is not configured here: " + unconfigured.body());
    }

    @Test
    void gatewayEventsAreRelayedAsTheyArrive() throws Exception {
        HttpResponse<InputStream> stream =
                http.send(
                        HttpRequest.newBuilder(uri("events/gateway/" + StubServices.MODEL))
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertTrue(nextData(lines).contains("\"type\":\"CURRENT\""));
            StubServices.moved(7);
            String moved = nextData(lines);
            assertTrue(
                    moved.contains("\"type\":\"MOVED\"") && moved.contains("\"version\":7"), moved);
        }
        assertTrue(
                StubServices.SEEN.contains(
                        "GET /v1/encoders/"
                                + StubServices.MODEL
                                + "/events Bearer "
                                + StubServices.READ_TOKEN),
                StubServices.SEEN.toString());

        // the gateway refuses (404 here): the page's stream just ends, so its EventSource retries
        // by itself
        HttpResponse<String> refused =
                send(
                        HttpRequest.newBuilder(uri("events/gateway/no-such-model"))
                                .header("Accept", "text/event-stream")
                                .build());
        assertEquals(200, refused.statusCode());
        assertTrue(!refused.body().contains("data:"), refused.body());
    }

    @Test
    void liveViewShowsTheServicesAndAMoveWithoutReload() throws Exception {
        ChromeDriver driver =
                Browser.start(
                        RegistryForConsole.moduleDir()
                                .resolve("target/chromium-live-" + ProcessHandle.current().pid()));
        try {
            driver.get(console.toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
            wait.until(
                    d ->
                            "true"
                                    .equals(
                                            d.findElement(By.tagName("body"))
                                                    .getAttribute("data-ready")));
            driver.findElement(By.cssSelector("nav button[data-view='live']")).click();
            wait.until(
                    ExpectedConditions.textToBePresentInElementLocated(
                            By.id("trainer-status"), "12 of 40"));
            wait.until(
                    ExpectedConditions.textToBePresentInElementLocated(
                            By.id("gateway-status"), "v4"));
            wait.until(
                    ExpectedConditions.textToBePresentInElementLocated(
                            By.id("ingest-status"), "570"));
            wait.until(
                    ExpectedConditions.textToBePresentInElementLocated(
                            By.id("ingest-status"), "42.50"));
            wait.until(
                    ExpectedConditions.textToBePresentInElementLocated(
                            By.id("ingest-status"), "40.10"));
            // the latest dead letter with its reason and (as text, not markup) the start of its
            // record
            wait.until(
                    ExpectedConditions.textToBePresentInElementLocated(
                            By.id("dead-letters"), "UNPARSABLE img-7"));
            assertEquals(
                    "{oops <b>",
                    driver.executeScript(
                            "return document.querySelector('#dead-letters pre').textContent"));
            wait.until(
                    ExpectedConditions.textToBePresentInElementLocated(
                            By.id("gateway-events"), "CURRENT v4"));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> StubServices.openStreams() > 0);
            StubServices.moved(5);
            wait.until(
                    ExpectedConditions.textToBePresentInElementLocated(
                            By.id("gateway-events"), "MOVED v5"));
            assertEquals(
                    Boolean.TRUE,
                    driver.executeScript(
                            "return ['loss-chart','buffer-chart','class-chart','dead-letter-chart'].every(id => Chart.getChart(id) !== undefined)"),
                    "the four live charts are drawn");
            String dir = System.getProperty("console.screenshots");
            if (dir != null) {
                Files.createDirectories(Path.of(dir));
                Files.write(
                        Path.of(dir).resolve("live.png"), driver.getScreenshotAs(OutputType.BYTES));
            }
            assertEquals(
                    List.of(),
                    Browser.consoleErrors(driver),
                    "the browser console on the Live view");
        } finally {
            driver.quit();
        }
    }

    private static String nextData(BufferedReader lines) throws java.io.IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("data:")) {
                return line;
            }
        }
        throw new AssertionError("the event stream ended");
    }

    private URI uri(String path) {
        return URI.create(console.toString()).resolve(path);
    }

    private HttpResponse<String> send(HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }
}
