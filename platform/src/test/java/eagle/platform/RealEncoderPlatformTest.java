package eagle.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import eagle.client.RegistryClient;
import eagle.client.RegistryRefusedException;
import eagle.client.cli.RegisterCli;
import eagle.core.hf.HfClipExport;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.core.model.TokenizerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real base through the whole loop, on its own platform ({@link #REAL}: model {@value #MODEL},
 * ingest with an open taxonomy, the gate {@code real-encoder-gate.json}):
 *
 * <ol>
 *   <li>a CLIP with CLIP's BPE tokenizer (a small explicit config, vocabulary 49408, context 77;
 *       random weights) exported as a Hugging Face folder is registered with {@code ./eagle
 *       register --from hf}'s code ({@link RegisterCli}); the evaluator blesses it as the first
 *       production and the gateway serves it;
 *   <li>a user-like COCO export ({@link UserCocoExport}: non-square JPEG and PNG photos, class
 *       names with spaces, polygons and both RLE forms, objects the centre crop removes, tiny
 *       objects, a class no prompt can hold) is published with {@code ./eagle publish}'s code
 *       (ingest's PublishExport, run from ingest's packaged jar as that command runs it); the
 *       trainer trains a round on it, skipping and counting what it cannot use, and never fails;
 *       the candidate keeps the base's spec; the evaluator blesses or refuses it by the gate, and
 *       the gateway serves production with the registry's digest;
 *   <li>a version with another architecture and tokenizer (the embedded base) as a child of
 *       production is refused by the registry with the reason, and production and what is served
 *       stay;
 *   <li>the same weights as a root version (the registry takes it: no parent to differ from) are
 *       refused by the evaluator with the reason, nothing is recorded, and production and what is
 *       served stay.
 * </ol>
 */
@Order(6)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealEncoderPlatformTest {

    static final String MODEL = "clip-real";
    static final int IMAGES = 8;
    static final Platform.Settings REAL =
            new Platform.Settings(
                    "platform-run-real",
                    MODEL,
                    false,
                    false,
                    "platform/src/test/resources/real-encoder-gate.json",
                    List.of(
                            "-Deagle.trainer.round.min-samples=6",
                            "-Deagle.trainer.round.min-classes=2",
                            "-Deagle.trainer.round.steps=4",
                            "-Deagle.trainer.round.batch=4",
                            "-Deagle.trainer.round.checkpoint-every=4",
                            "-Deagle.trainer.round.min-patch-area="
                                    + UserCocoExport.MIN_PATCH_AREA));
    private static final Duration FLOW = Duration.ofMinutes(8);

    private static Platform platform;
    private static int base;
    private static EncoderSpec baseSpec;
    private static final Set<String> trainerPhases = ConcurrentHashMap.newKeySet();
    private static ScheduledExecutorService watcher;

    @BeforeAll
    static void start() {
        platform = Platform.get(REAL);
        // the poison-pill watch: every phase the trainer shows while this class runs
        watcher =
                Executors.newSingleThreadScheduledExecutor(
                        r -> new Thread(r, "trainer-phase-watch"));
        watcher.scheduleWithFixedDelay(
                () -> {
                    JsonNode status = trainerStatus();
                    if (status != null) {
                        trainerPhases.add(status.path("phase").asText());
                    }
                },
                0,
                500,
                TimeUnit.MILLISECONDS);
    }

    @AfterAll
    static void stopWatching() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    /** Vision 64 px in 16 px patches (P = 16), widths 64, CLIP's vocabulary and context. */
    static ClipConfig smallClip() {
        return new ClipConfig(
                new ClipConfig.VisionConfig(
                        64, 16, 64, 2, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                new ClipConfig.TextConfig(
                        77, 49408, 64, 1, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                64);
    }

    @Test
    @Order(1)
    void aHuggingFaceFolderRegisteredWithRegisterBecomesTheServedProduction() throws IOException {
        Path folder = platform.dir.resolve("small-clip-hf");
        try (ClipModel model = ClipModel.create(smallClip(), Device.cpu(), 16)) {
            HfClipExport.write(model, folder);
        }
        RegisterCommand.Registered registered = RegisterCommand.run(platform, MODEL, "hf", folder);
        base = registered.version();

        JsonNode version = platform.registry("/versions/" + base);
        assertEquals(registered.sha256(), version.path("sha256").asText());
        baseSpec = EncoderSpec.fromJson(version.path("architecture").toString());
        assertEquals(EncoderSpec.of(smallClip(), TokenizerSpec.clipBpe(77), List.of()), baseSpec);

        JsonNode evaluation = PlatformFlow.awaitEvaluation(platform, base, FLOW);
        assertTrue(
                evaluation.path("passed").asBoolean(),
                "the first production was not blessed: " + evaluation);
        JsonNode served = PlatformFlow.awaitServed(platform, base, FLOW);
        assertEquals(registered.sha256(), served.path("sha256").asText());
    }

    @Test
    @Order(2)
    void aUsersCocoExportTrainsARoundThatIsEvaluatedAndProductionIsServed() throws Exception {
        assertTrue(base > 0, "the base was not registered");
        int before = platform.newestVersion();
        UserCocoExport.Written export =
                UserCocoExport.write(platform.dir.resolve("user-export"), IMAGES, 77);
        assertEquals(export.instances() + " annotation events published", publish(export).strip());

        List<String> imageIds = export.imageIds().stream().map(id -> "user-" + id).toList();
        await("samples of the " + IMAGES + " images of the export")
                .atMost(FLOW)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () ->
                                PlatformFlow.instancesOf(platform.samples(), imageIds)
                                        == export.instances());

        JsonNode candidate = PlatformFlow.awaitNewVersion(platform, before, FLOW);
        int v = candidate.path("version").asInt();
        assertEquals(base, candidate.path("parentVersion").asInt(), candidate.toString());
        EncoderSpec candidateSpec = EncoderSpec.fromJson(candidate.path("architecture").toString());
        assertEquals(
                java.util.Optional.empty(),
                candidateSpec.differenceFrom(baseSpec),
                "the candidate's spec is not its parent's");

        // what the trainer could not use is skipped and counted by reason (records after the
        // round's trigger are
        // counted as the next intake reads them)
        await("the trainer's skip counts")
                .atMost(FLOW)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            JsonNode status = trainerStatus();
                            JsonNode byReason =
                                    status == null
                                            ? Platform.JSON.createObjectNode()
                                            : status.path("skippedByReason");
                            return byReason.path("INSTANCE_CROPPED_AWAY").asLong()
                                            >= export.croppedAway()
                                    && byReason.path("INSTANCE_TOO_SMALL").asLong() >= export.tiny()
                                    && byReason.path("CLASS_NOT_PROMPTABLE").asLong()
                                            >= export.unpromptable()
                                    && byReason.path("NO_USABLE_INSTANCE").asLong()
                                            >= export.withoutUsable();
                        });
        JsonNode status = trainerStatus();
        assertFalse(trainerPhases.contains("FAILED"), "the trainer went FAILED: " + status);
        assertTrue(
                status.path("error").isNull() || status.path("error").isMissingNode(),
                status.toString());

        JsonNode evaluation = PlatformFlow.awaitEvaluation(platform, v, FLOW);
        int expected = evaluation.path("passed").asBoolean() ? v : base;
        await("production is v" + expected)
                .atMost(FLOW)
                .until(() -> platform.production() == expected);
        JsonNode served = PlatformFlow.awaitServed(platform, expected, FLOW);
        assertEquals(
                platform.registry("/versions/" + expected).path("sha256").asText(),
                served.path("sha256").asText());
        assertFalse(
                trainerPhases.contains("FAILED"), "the trainer went FAILED: " + trainerStatus());
    }

    @Test
    @Order(3)
    void aVersionOfAnotherArchitectureAndTokenizerIsRefusedAndProductionStays() throws IOException {
        int production = platform.production();
        String sha = platform.registry("/versions/" + production).path("sha256").asText();
        Path other = platform.root.resolve("models/embedded-base/model.safetensors");
        EncoderSpec otherSpec = EncoderSpec.read(other);
        assertTrue(otherSpec.differenceFrom(baseSpec).isPresent());
        RegistryClient client =
                new RegistryClient(platform.service("registry").url(), platform.registerToken);
        RegistryRefusedException refused =
                assertThrows(
                        RegistryRefusedException.class,
                        () ->
                                client.register(
                                        MODEL,
                                        production,
                                        other,
                                        Platform.JSON.readTree(otherSpec.toJson()),
                                        null));
        assertEquals(409, refused.status(), refused.toString());
        assertEquals("ARCHITECTURE_MISMATCH", refused.code(), refused.toString());
        assertTrue(refused.reason().contains("parent version " + production), refused.reason());
        assertEquals(production, platform.production().intValue());
        JsonNode served = platform.served();
        assertEquals(production, served.path("version").asInt());
        assertEquals(sha, served.path("sha256").asText());
        assertFalse(
                trainerPhases.contains("FAILED"), "the trainer went FAILED: " + trainerStatus());
    }

    @Test
    @Order(4)
    void aRootVersionOfAnotherArchitectureIsRefusedByTheEvaluatorAndNothingIsRecorded() {
        int production = platform.production();
        String sha = platform.registry("/versions/" + production).path("sha256").asText();
        // a root version has no parent to differ from, so the registry takes it; the evaluator
        // compares it with production
        int other =
                platform.registerVersion(
                        platform.root.resolve("models/embedded-base/model.safetensors"), null);
        var r =
                Platform.send(
                        "POST",
                        platform.service("evaluator").url()
                                + "/api/v1/models/"
                                + MODEL
                                + "/versions/"
                                + other
                                + "/evaluate",
                        platform.operatorToken,
                        null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode outcome = Platform.readTree(r.body());
        assertEquals("REFUSED", outcome.path("status").asText(), r.body());
        assertTrue(outcome.path("reason").asText().contains("differs from production"), r.body());
        assertTrue(
                platform.evaluations(other).isEmpty(),
                "an evaluation was recorded for a refused version");
        assertEquals(production, platform.production().intValue());
        JsonNode served = platform.served();
        assertEquals(production, served.path("version").asInt());
        assertEquals(sha, served.path("sha256").asText());
    }

    /**
     * {@code ./eagle publish --format coco}'s code path: ingest's PublishExport from ingest's
     * packaged jar.
     */
    private static String publish(UserCocoExport.Written export)
            throws IOException, InterruptedException {
        Path app = platform.root.resolve("ingest/target/quarkus-app");
        String classpath =
                String.join(
                        java.io.File.pathSeparator,
                        app.resolve("app/*").toString(),
                        app.resolve("lib/boot/*").toString(),
                        app.resolve("lib/main/*").toString());
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                classpath,
                                "eagle.ingest.cli.PublishExport",
                                "--format",
                                "coco",
                                "--bootstrap",
                                platform.kafka.bootstrapServers(),
                                "--images",
                                export.images().toString(),
                                "--annotator",
                                "user-export",
                                "--id-prefix",
                                "user-",
                                export.json().toString()));
        Path log = platform.dir.resolve("logs/publish.log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "PublishExport did not finish");
        assertEquals(0, p.exitValue(), stdout + Files.readString(log));
        return stdout.lines().reduce((a, b) -> b).orElse("");
    }

    private static JsonNode trainerStatus() {
        try {
            var r =
                    Platform.send(
                            "GET",
                            platform.service("trainer").url() + "/api/v1/status",
                            null,
                            null);
            return r.statusCode() == 200 ? Platform.readTree(r.body()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
