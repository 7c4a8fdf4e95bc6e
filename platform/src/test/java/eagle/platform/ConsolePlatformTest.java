package eagle.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.contracts.AnnotationEvent;
import eagle.demo.DestroyedEncoder;
import eagle.infra.Browser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console (console/README.md) in headless Chromium against the real platform ({@link
 * Platform}: the five services and the console as processes, PostgreSQL, the broker): every view
 * loads with no browser console error; a promotion made by the pipeline (annotations → candidate →
 * blessed → promoted) appears on the open page without reload; a rollback pressed on the page
 * without a token is refused and moves nothing, with the operator's token it moves production and
 * the gateway then hands out the previous version's bytes; the evaluation view of a candidate the
 * gate refused names its failing check. On the demo platform the earlier classes share, whatever
 * state they left (before RealEncoderPlatformTest, which starts a platform of its own).
 */
@Order(5)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsolePlatformTest {

    private static final Duration FLOW = Duration.ofMinutes(8);
    private static Platform platform;
    private static ChromeDriver driver;

    /** Production before and after the pipeline's promotion (test 2), for the rollback (test 3). */
    private static int beforePromotion;

    private static int promoted;

    @BeforeAll
    static void platformAndBrowser() {
        platform = Platform.get();
        // the first production (the embedded base, blessed by the evaluator) or whatever earlier
        // test classes left
        await("a production version")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> platform.production() != null);
        PlatformFlow.awaitServed(platform, platform.production(), Duration.ofMinutes(4));
        driver =
                Browser.start(
                        platform.dir.resolve("chromium-profile-" + ProcessHandle.current().pid()));
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    @Order(1)
    void everyViewLoadsWithThePlatformsDataAndNoBrowserError() {
        open();
        int production = platform.production();
        int versions = platform.versions().size();
        waitUpTo(Duration.ofSeconds(30))
                .until(
                        d ->
                                d.findElements(By.cssSelector("#versions tbody tr")).size()
                                        == versions);
        waitUpTo(Duration.ofSeconds(10))
                .until(
                        ExpectedConditions.textToBe(
                                By.id("production-badge"), "production: v" + production));
        assertFalse(
                driver.findElements(By.cssSelector("#timeline li")).isEmpty(),
                "production's timeline is empty");

        view("evaluations");
        waitUpTo(Duration.ofSeconds(30))
                .until(d -> !d.findElements(By.cssSelector("canvas[data-metric]")).isEmpty());
        assertFalse(
                driver.findElements(
                                By.cssSelector(".evaluation[data-version='" + production + "']"))
                        .isEmpty(),
                "production's evaluation is listed");

        view("live");
        String sha = platform.registry("/versions/" + production).path("sha256").asText();
        // the gateway's served version and digest, the trainer's and ingest's status: each panel
        // filled from its service
        waitUpTo(Duration.ofSeconds(30))
                .until(
                        d ->
                                d.findElement(By.id("gateway-status"))
                                        .getText()
                                        .contains(sha.substring(0, 12)));
        waitUpTo(Duration.ofSeconds(30))
                .until(
                        ExpectedConditions.textToBePresentInElementLocated(
                                By.id("trainer-status"), "replay buffer"));
        waitUpTo(Duration.ofSeconds(30))
                .until(
                        ExpectedConditions.textToBePresentInElementLocated(
                                By.id("ingest-status"), "accepted instances"));

        view("actions");
        view("encoders");
        assertEquals(
                List.of(),
                Browser.consoleErrors(driver),
                "the browser console while every view loaded");
    }

    @Test
    @Order(2)
    void aPromotionByThePipelineAppearsOnTheOpenPageWithoutReload() throws Exception {
        open();
        beforePromotion = platform.production();
        waitUpTo(Duration.ofSeconds(30))
                .until(
                        ExpectedConditions.textToBe(
                                By.id("production-badge"), "production: v" + beforePromotion));
        driver.executeScript("window.pageNotReloaded = true;");
        int newest = platform.newestVersion();

        // A candidate the gate blesses whatever the platform's earlier tests trained: production's
        // own tensors under a new digest (one more metadata entry). Its metrics equal production's,
        // so every change against the baseline is 0, and against the base they are those production
        // passed with; the evaluator (the pipeline) then scores, blesses and promotes it.
        Path copy =
                PlatformFlow.sameTensorsCopy(
                        platform.productionWeights(
                                platform.dir.resolve("console-production.safetensors")),
                        platform.dir.resolve("console-candidate.safetensors"));
        int v = platform.registerVersion(copy, beforePromotion);
        assertTrue(v > newest, "a new version was registered");
        JsonNode evaluation = PlatformFlow.awaitEvaluation(platform, v, FLOW);
        assertTrue(
                evaluation.path("passed").asBoolean(),
                "the gate did not bless production's own tensors: " + evaluation);

        waitUpTo(Duration.ofSeconds(60))
                .until(ExpectedConditions.textToBe(By.id("production-badge"), "production: v" + v));
        WebElement newestMove = driver.findElement(By.cssSelector("#timeline li"));
        assertTrue(
                newestMove.getText().startsWith("promotion v" + beforePromotion + " → v" + v),
                newestMove.getText());
        assertTrue(
                newestMove.getText().contains("evaluator"),
                "the promoter: " + newestMove.getText());
        assertEquals(
                Boolean.TRUE,
                driver.executeScript("return window.pageNotReloaded === true;"),
                "the page was reloaded");
        assertEquals(v, platform.production().intValue());
        promoted = v;
    }

    @Test
    @Order(3)
    void aRollbackOnThePageIsRefusedWithoutATokenAndWithOneTheGatewayServesThePreviousDigest()
            throws Exception {
        assertTrue(promoted > 0, "the promotion test did not run");
        String promotedSha = platform.registry("/versions/" + promoted).path("sha256").asText();
        String previousSha =
                platform.registry("/versions/" + beforePromotion).path("sha256").asText();
        assertNotEquals(promotedSha, previousSha);
        PlatformFlow.awaitServed(platform, promoted, FLOW);
        open();
        waitUpTo(Duration.ofSeconds(30))
                .until(
                        ExpectedConditions.textToBe(
                                By.id("production-badge"), "production: v" + promoted));
        view("actions");
        new Select(driver.findElement(By.id("rollback-via"))).selectByValue("evaluator");
        driver.findElement(By.id("rollback-reason"))
                .sendKeys("platform test: rollback from the console");

        driver.findElement(By.id("token")).clear();
        driver.findElement(By.id("act-rollback")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent()).accept();
        waitUpTo(Duration.ofSeconds(30))
                .until(
                        ExpectedConditions.textToBePresentInElementLocated(
                                By.id("action-result"), "refused: 401"));
        assertEquals(
                promoted, platform.production().intValue(), "a refused rollback moved production");
        assertEquals(
                promotedSha,
                sha256OfServedWeights(),
                "a refused rollback changed what the gateway serves");
        Browser.consoleErrors(driver); // the refused POST is logged as a failed load; expected here

        driver.findElement(By.id("token")).sendKeys(platform.operatorToken);
        driver.findElement(By.id("act-rollback")).click();
        waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent()).accept();
        waitUpTo(Duration.ofSeconds(60))
                .until(
                        ExpectedConditions.textToBePresentInElementLocated(
                                By.id("action-result"), "200 done"));
        assertEquals(
                beforePromotion,
                platform.production().intValue(),
                "the rollback moved production to the previous version");

        PlatformFlow.awaitServed(platform, beforePromotion, Duration.ofSeconds(60));
        assertEquals(
                previousSha, sha256OfServedWeights(), "the gateway's bytes after the rollback");
        view("encoders");
        WebElement rollback =
                waitUpTo(Duration.ofSeconds(30))
                        .until(
                                ExpectedConditions.presenceOfElementLocated(
                                        By.cssSelector("#timeline li.ROLLBACK")));
        assertTrue(
                rollback.getText().startsWith("rollback v" + promoted + " → v" + beforePromotion)
                        && rollback.getText().contains("platform test: rollback from the console"),
                rollback.getText());
        assertEquals(
                List.of(),
                Browser.consoleErrors(driver),
                "the browser console after the accepted rollback");
    }

    @Test
    @Order(4)
    void theEvaluationOfARefusedCandidateNamesItsFailingCheck() throws Exception {
        int production = platform.production();
        Path destroyed =
                DestroyedEncoder.write(
                        platform.root.resolve("models/embedded-base/model.safetensors"),
                        platform.dir.resolve("console-destroyed.safetensors"),
                        11);
        int bad = platform.registerVersion(destroyed, production);
        JsonNode evaluation = PlatformFlow.awaitEvaluation(platform, bad, FLOW);
        assertFalse(
                evaluation.path("passed").asBoolean(),
                "a randomly re-initialised encoder was blessed: " + evaluation);
        List<String> failedChecks = failedChecks(evaluation);
        assertFalse(failedChecks.isEmpty(), "the refusal records no failed check: " + evaluation);

        open();
        view("evaluations");
        WebElement refused =
                waitUpTo(Duration.ofSeconds(30))
                        .until(
                                ExpectedConditions.presenceOfElementLocated(
                                        By.cssSelector(
                                                ".evaluation.refused[data-version='"
                                                        + bad
                                                        + "']")));
        for (String check : failedChecks) {
            assertTrue(
                    refused.getText().contains(check),
                    "the failing check " + check + " in: " + refused.getText());
        }
        assertEquals(production, platform.production().intValue());
        assertEquals(
                List.of(),
                Browser.consoleErrors(driver),
                "the browser console on the evaluations view");
    }

    /**
     * "metric@slice KIND: observed X" of each failed check of the record, as the page writes them
     * (evaluations.js).
     */
    private static List<String> failedChecks(JsonNode evaluation) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = evaluation.path("thresholds").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> t = it.next();
            for (JsonNode c : t.getValue().path("checks")) {
                if (c.has("passed") && !c.path("passed").asBoolean()) {
                    String against = c.path("against").asText("");
                    out.add(
                            t.getKey()
                                    + " "
                                    + c.path("kind").asText()
                                    + (against.isEmpty() ? "" : " vs " + against)
                                    + ": observed ");
                }
            }
        }
        return out;
    }

    private static String sha256OfServedWeights() throws Exception {
        HttpResponse<byte[]> weights =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        platform.gatewayEncoderUrl() + "/weights"))
                                        .header(
                                                "Authorization",
                                                "Bearer " + Platform.GATEWAY_READ_TOKEN)
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, weights.statusCode());
        return AnnotationEvent.sha256Hex(weights.body());
    }

    private static void open() {
        driver.get(platform.service("console").url() + "/");
        waitUpTo(Duration.ofSeconds(30))
                .until(
                        d ->
                                "true"
                                        .equals(
                                                d.findElement(By.tagName("body"))
                                                        .getAttribute("data-ready")));
    }

    private static void view(String name) {
        driver.findElement(By.cssSelector("nav button[data-view='" + name + "']")).click();
        waitUpTo(Duration.ofSeconds(5))
                .until(
                        ExpectedConditions.attributeContains(
                                By.id("view-" + name), "class", "active"));
    }

    private static WebDriverWait waitUpTo(Duration atMost) {
        return new WebDriverWait(driver, atMost);
    }
}
