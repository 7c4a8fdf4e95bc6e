package eagle.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.infra.Browser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in headless Chromium against the real registry ({@link RegistryForConsole}, seeded by
 * {@link RegistrySeed}): every view loads with no error in the browser console and shows the
 * registry's data; "production at T" answers from the history; a rollback pressed without a token
 * is refused with the registry's 401 and moves nothing, and with an operator token (registry.alias)
 * moves production, which the timeline then shows; a promotion made while the page is open appears
 * on it without reload. With {@code -Dconsole.screenshots=DIR} each view is also saved as a PNG
 * there.
 */
@QuarkusTest
@QuarkusTestResource(value = RegistryForConsole.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static ChromeDriver driver;

    @TestHTTPResource("/")
    URL console;

    @BeforeAll
    static void startBrowser() {
        driver =
                Browser.start(
                        RegistryForConsole.moduleDir()
                                .resolve(
                                        "target/chromium-profile-"
                                                + ProcessHandle.current().pid()));
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    @Order(1)
    void everyViewLoadsWithTheRegistrysDataAndNoBrowserError() throws IOException {
        open();
        WebDriverWait wait = waitUpTo(20);
        wait.until(d -> d.findElements(By.cssSelector("#versions tbody tr")).size() == 3);
        assertEquals("production: v2", driver.findElement(By.id("production-badge")).getText());
        List<WebElement> moves = driver.findElements(By.cssSelector("#timeline li"));
        assertEquals(2, moves.size(), "two moves of production");
        assertTrue(moves.get(0).getText().startsWith("promotion v1 → v2"), moves.get(0).getText());
        assertTrue(moves.get(1).getText().startsWith("manual ∅ → v1"), moves.get(1).getText());
        assertTrue(
                moves.get(0).getText().contains("v2 blessed"),
                "the move's reason: " + moves.get(0).getText());
        WebElement v3 = driver.findElement(By.cssSelector("#versions tr[data-version='3']"));
        assertTrue(
                v3.getText().contains("round-3") && v3.getText().contains("✘ console-suite-v1"),
                v3.getText());
        assertTrue(
                v3.getText().contains("eagle.annotations.v1[0] 200…300"),
                "data manifest: " + v3.getText());
        screenshot("encoders");

        // what was production between the two moves: v1
        String between =
                (String)
                        driver.executeScript(
                                """
                const t = new Date(arguments[0]);
                document.getElementById('at-time').value =
                    new Date(t.getTime() - t.getTimezoneOffset() * 60000).toISOString().substring(0, 23);
                return t.toISOString();""",
                                midpointMillis(movedAt(0), movedAt(1)));
        driver.findElement(By.id("at-go")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("at-answer"), "v1"));
        assertTrue(
                driver.findElement(By.id("at-answer")).getText().contains("first release"),
                "at " + between + ": " + driver.findElement(By.id("at-answer")).getText());

        view("evaluations");
        wait.until(
                d ->
                        !d.findElements(By.cssSelector("canvas[data-metric='zeroshot_cls']"))
                                .isEmpty());
        assertTrue(
                !driver.findElements(By.cssSelector("canvas[data-metric='pope.random.fpr']"))
                        .isEmpty());
        WebElement refused =
                driver.findElement(By.cssSelector(".evaluation.refused[data-version='3']"));
        assertTrue(
                refused.getText()
                        .contains(
                                "zeroshot_cls@zeroshot VALUE_LOWER: observed 0.41, bound 0.5 (off by 0.0900)"),
                "the failing check and by how much: " + refused.getText());
        assertEquals(1, driver.findElements(By.cssSelector(".evaluation.refused")).size());
        assertTrue(
                driver.findElement(By.cssSelector(".evaluation[data-version='1']"))
                        .getText()
                        .contains("candidate, no baseline"),
                "the gate's purpose and notes");
        screenshot("evaluations");

        view("live");
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(
                        By.id("trainer-status"), "not configured"));
        screenshot("live");
        view("actions");
        screenshot("actions");
        assertEquals(
                List.of(),
                Browser.consoleErrors(driver),
                "the browser console while every view loaded");
    }

    @Test
    @Order(2)
    void rollbackIsRefusedWithoutATokenAndMovesProductionWithOne() throws Exception {
        open();
        waitUpTo(20)
                .until(ExpectedConditions.textToBe(By.id("production-badge"), "production: v2"));
        view("actions");
        driver.findElement(By.id("token")).clear();
        driver.findElement(By.id("rollback-reason")).sendKeys("v2 misbehaves in the field");
        driver.findElement(By.id("act-rollback")).click();
        waitUpTo(5).until(ExpectedConditions.alertIsPresent()).accept();
        waitUpTo(10)
                .until(
                        ExpectedConditions.textToBePresentInElementLocated(
                                By.id("action-result"), "refused: 401"));
        assertEquals(2, productionVersion(), "a refused rollback moves nothing");
        Browser.consoleErrors(driver); // the refused POST is logged as a failed load; expected here

        driver.findElement(By.id("token")).sendKeys(RegistrySeed.ALIAS);
        driver.findElement(By.id("act-rollback")).click();
        waitUpTo(5).until(ExpectedConditions.alertIsPresent()).accept();
        waitUpTo(10)
                .until(
                        ExpectedConditions.textToBePresentInElementLocated(
                                By.id("action-result"), "200 done"));
        assertEquals(
                1,
                productionVersion(),
                "the rollback moved production to the previous blessed version");
        screenshot("actions-rollback");

        view("encoders");
        WebElement rollback =
                waitUpTo(10)
                        .until(
                                ExpectedConditions.presenceOfElementLocated(
                                        By.cssSelector("#timeline li.ROLLBACK")));
        assertTrue(
                rollback.getText().startsWith("rollback v2 → v1")
                        && rollback.getText().contains("v2 misbehaves in the field")
                        && rollback.getText().contains("operator"),
                rollback.getText());
        assertEquals("production: v1", driver.findElement(By.id("production-badge")).getText());
    }

    @Test
    @Order(3)
    void aPromotionAppearsOnTheOpenPageWithoutReload() {
        open();
        waitUpTo(20)
                .until(ExpectedConditions.textToBe(By.id("production-badge"), "production: v1"));
        int before = driver.findElements(By.cssSelector("#timeline li")).size();
        new RegistrySeed(RegistryForConsole.registryUrl + "/api/v1")
                .promote(2, "v2 fixed and re-blessed");
        waitUpTo(20)
                .until(ExpectedConditions.textToBe(By.id("production-badge"), "production: v2"));
        List<WebElement> moves = driver.findElements(By.cssSelector("#timeline li"));
        assertEquals(before + 1, moves.size());
        assertTrue(
                moves.get(0).getText().startsWith("promotion v1 → v2")
                        && moves.get(0).getText().contains("v2 fixed and re-blessed"),
                moves.get(0).getText());
    }

    private void open() {
        driver.get(console.toString());
        waitUpTo(20)
                .until(
                        d ->
                                "true"
                                        .equals(
                                                d.findElement(By.tagName("body"))
                                                        .getAttribute("data-ready")));
    }

    private static void view(String name) {
        driver.findElement(By.cssSelector("nav button[data-view='" + name + "']")).click();
        waitUpTo(5)
                .until(
                        ExpectedConditions.attributeContains(
                                By.id("view-" + name), "class", "active"));
    }

    private static WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    /**
     * A whole millisecond strictly after {@code a} (rounded up) and not after {@code b}, half way.
     */
    private static long midpointMillis(java.time.Instant a, java.time.Instant b) {
        long after = a.plusNanos(999_999).toEpochMilli();
        long before = b.toEpochMilli();
        assertTrue(after < before, "the two moves are at least 2 ms apart: " + a + ", " + b);
        return (after + before) / 2;
    }

    /** movedAt of the {@code i}-th move of production (0 = oldest), from the registry's history. */
    private static java.time.Instant movedAt(int i) throws IOException {
        String history = registry("/aliases/production/history");
        List<java.time.Instant> times =
                java.util.regex.Pattern.compile("\"movedAt\"\\s*:\\s*\"([^\"]+)\"")
                        .matcher(history)
                        .results()
                        .map(m -> java.time.Instant.parse(m.group(1)))
                        .sorted()
                        .toList();
        return times.get(i);
    }

    private static int productionVersion() throws IOException {
        String alias = registry("/aliases/production");
        return Integer.parseInt(alias.replaceAll("(?s).*\"version\"\\s*:\\s*(\\d+).*", "$1"));
    }

    private static String registry(String path) throws IOException {
        HttpRequest r =
                HttpRequest.newBuilder(
                                URI.create(
                                        RegistryForConsole.registryUrl
                                                + "/api/v1/models/"
                                                + RegistrySeed.MODEL
                                                + path))
                        .header("Authorization", "Bearer " + RegistrySeed.READ)
                        .build();
        try {
            HttpResponse<String> a =
                    HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, a.statusCode(), a.body());
            return a.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void screenshot(String name) throws IOException {
        String dir = System.getProperty("console.screenshots");
        if (dir != null) {
            Path out = Path.of(dir).resolve(name + ".png");
            Files.createDirectories(out.getParent());
            Files.write(out, driver.getScreenshotAs(OutputType.BYTES));
        }
    }
}
