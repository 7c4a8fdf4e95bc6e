package eagle.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import eagle.client.Sha256;
import eagle.core.hf.EvaClipFile;
import eagle.core.hf.LavisEvaFile;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.core.model.EvaVisionTransformer;
import eagle.demo.AnnotationSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An EVA01-shaped base through the whole loop on its own platform ({@link #EVA}: model {@value
 * #MODEL}, open taxonomy, the permissive gate {@code eva-encoder-gate.json}, so the trained
 * candidate is promoted), then what BLIP-2 and InstructBLIP load from the gateway (core/EVA.md):
 *
 * <ol>
 *   <li>a small random EVA01 model written in EVA-CLIP's names is registered with {@code ./eagle
 *       register --from eva}'s code; the evaluator blesses it as the first production; published
 *       scenes make the trainer train one round on it; the evaluator gates the candidate and the
 *       gateway serves it; its LAVIS file ({@code /lavis/visual_encoder.safetensors}) has the
 *       digest the gateway lists and sends, LAVIS's names and shapes (blocks 0..L−2, no norm, no
 *       head) and the served weights' tensors;
 *   <li>when Debian's PyTorch is at {@code /usr/bin/python3}, scripts/eva-check/check.py loads the
 *       served LAVIS file and image-tower file into its independent PyTorch towers and reproduces
 *       EAGLE's features within 1e-5 (and fails with one weight moved).
 * </ol>
 */
@Order(7)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvaEncoderPlatformTest {

    static final String MODEL = "eva-real";
    static final int IMAGES = 12;
    static final Platform.Settings EVA =
            new Platform.Settings(
                    "platform-run-eva",
                    MODEL,
                    false,
                    false,
                    "platform/src/test/resources/eva-encoder-gate.json",
                    List.of(
                            "-Deagle.trainer.round.min-samples=8",
                            "-Deagle.trainer.round.min-classes=2",
                            "-Deagle.trainer.round.steps=2",
                            "-Deagle.trainer.round.batch=4",
                            "-Deagle.trainer.round.checkpoint-every=2",
                            "-Deagle.trainer.round.min-patch-area=0.02"));
    private static final Duration FLOW = Duration.ofMinutes(8);
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Platform platform;
    private static Path servedWeights;
    private static Path servedLavis;
    private static Path servedVisual;

    @BeforeAll
    static void start() {
        platform = Platform.get(EVA);
    }

    /**
     * EVA01-CLIP-g-14's structure, small: 56 px in 14 px patches (P = 16), width 176 (2 heads of
     * EVA's 88, so {@code --from eva} infers them), 2 blocks, MLP int(176 · 4.3637) = 768, eps
     * 1e-6, GELU; a 1-layer 64-wide text tower over CLIP's BPE (77 tokens); D 64.
     */
    static ClipConfig smallEva() {
        return new ClipConfig(
                new ClipConfig.VisionConfig(
                        56, 14, 176, 2, 2, 4.3637, ClipConfig.Activation.GELU, 1e-6),
                new ClipConfig.TextConfig(
                        77, 49408, 64, 1, 1, 4.0, ClipConfig.Activation.GELU, 1e-5),
                64,
                ClipConfig.EVA01_CLIP);
    }

    @Test
    @Order(1)
    void anEvaBaseIsTrainedGatedAndServedInLavisLayout() throws Exception {
        // 1. register an EVA-CLIP-named checkpoint with ./eagle register --from eva
        Path ours = platform.dir.resolve("small-eva-ours.safetensors");
        Path evaClip = platform.dir.resolve("small-eva-clip.safetensors");
        try (ClipModel model = ClipModel.create(smallEva(), Device.cpu(), 23)) {
            model.save(ours);
        }
        EvaClipFile.export(ours, evaClip);
        int base = RegisterCommand.run(platform, MODEL, "eva", evaClip).version();
        EncoderSpec baseSpec =
                EncoderSpec.fromJson(
                        platform.registry("/versions/" + base).path("architecture").toString());
        ClipConfig config = baseSpec.config();
        assertEquals(ClipConfig.EVA01_CLIP, config.family(), "the registry's family");
        assertEquals(2, config.vision().heads(), "heads inferred as width / 88");
        assertEquals(768, EvaVisionTransformer.mlpWidth(config.vision()));
        assertEquals(shapes(smallEva().parameterShapes()), shapes(config.parameterShapes()));

        JsonNode first = PlatformFlow.awaitEvaluation(platform, base, FLOW);
        assertTrue(first.path("passed").asBoolean(), "the EVA base was not blessed: " + first);
        PlatformFlow.awaitServed(platform, base, FLOW);

        // 2. one training round on published scenes; the permissive gate promotes the candidate
        int before = platform.newestVersion();
        AnnotationSource.Published published = platform.publish(IMAGES, false);
        PlatformFlow.awaitSamples(platform, published, FLOW);
        JsonNode candidate = PlatformFlow.awaitNewVersion(platform, before, FLOW);
        int v = candidate.path("version").asInt();
        assertEquals(base, candidate.path("parentVersion").asInt(), candidate.toString());
        assertEquals(
                java.util.Optional.empty(),
                EncoderSpec.fromJson(candidate.path("architecture").toString())
                        .differenceFrom(baseSpec),
                "the candidate's spec is not its EVA parent's");
        JsonNode evaluation = PlatformFlow.awaitEvaluation(platform, v, FLOW);
        assertTrue(evaluation.path("passed").asBoolean(), "the candidate failed: " + evaluation);
        await("production is v" + v).atMost(FLOW).until(() -> platform.production() == v);
        JsonNode served = PlatformFlow.awaitServed(platform, v, FLOW);
        String sha = platform.registry("/versions/" + v).path("sha256").asText();

        // 3. what BLIP-2 loads: the LAVIS file, with the digest the gateway lists and sends
        assertTrue(served.path("links").path("hf").isMissingNode(), "no HF folder for EVA");
        JsonNode link = served.path("links").path("lavis").path("visual_encoder.safetensors");
        assertEquals(
                "/v1/encoders/" + MODEL + "/lavis/visual_encoder.safetensors",
                link.path("href").asText(),
                served.toString());
        Path dir = Files.createDirectories(platform.dir.resolve("eva-served"));
        servedLavis = dir.resolve("visual_encoder.safetensors");
        HttpResponse<Path> lavis = download(link.path("href").asText(), servedLavis);
        assertEquals(200, lavis.statusCode());
        String digest = Sha256.of(servedLavis);
        assertEquals(link.path("sha256").asText(), digest, "the listed digest");
        assertEquals(digest, lavis.headers().firstValue("X-Eagle-File-Sha256").orElse(null));
        assertEquals(sha, lavis.headers().firstValue("X-Eagle-Sha256").orElse(null));
        assertEquals(String.valueOf(v), lavis.headers().firstValue("X-Eagle-Version").orElse(null));
        assertEquals(link.path("sizeBytes").asLong(), Files.size(servedLavis));

        Safetensors.Header header = Safetensors.readHeader(servedLavis);
        assertEquals(Map.of("format", "pt"), header.metadata());
        Map<String, List<Long>> lavisShapes = shapes(header.shapes());
        assertEquals(shapes(LavisEvaFile.lavisShapes(config)), lavisShapes);
        assertEquals(
                List.of(1L, 17L, 176L), lavisShapes.get("visual_encoder.pos_embed"), "P+1 = 17");
        assertEquals(
                List.of(528L, 176L), lavisShapes.get("visual_encoder.blocks.0.attn.qkv.weight"));
        assertTrue(
                !lavisShapes.containsKey("visual_encoder.blocks.1.norm1.weight")
                        && !lavisShapes.containsKey("visual_encoder.norm.weight")
                        && !lavisShapes.containsKey("visual_encoder.head.weight"),
                "LAVIS drops the last block, the norm and the head: " + lavisShapes.keySet());

        // the served weights (the registry's digest) and the LAVIS file carry the same tensors
        servedWeights = dir.resolve("weights.safetensors");
        assertEquals(
                200, download("/v1/encoders/" + MODEL + "/weights", servedWeights).statusCode());
        assertEquals(sha, Sha256.of(servedWeights));
        Map<String, Safetensors.Tensor> expected =
                LavisEvaFile.toLavis(Safetensors.readAll(servedWeights), config);
        Map<String, Safetensors.Tensor> got = Safetensors.readAll(servedLavis);
        assertEquals(expected.keySet(), got.keySet());
        expected.forEach((name, t) -> assertArrayEquals(t.values(), got.get(name).values(), name));

        servedVisual = dir.resolve("visual.safetensors");
        assertEquals(
                200,
                download("/v1/encoders/" + MODEL + "/visual/weights", servedVisual).statusCode());
        assertEquals(
                served.path("links").path("visualWeights").path("sha256").asText(),
                Sha256.of(servedVisual));
    }

    @Test
    @Order(2)
    void theIndependentPythonCheckReproducesTheServedFilesFeatures() throws Exception {
        assertNotNull(servedLavis, "the served files were not fetched (test 1 failed)");
        assumeTrue(
                torchAvailable(),
                PYTHON
                        + " with torch and numpy is not installed: the Python check of the served LAVIS"
                        + " file (scripts/eva-check/check.py) is skipped; apt-get install python3-torch"
                        + " python3-numpy to run it");
        Path dump = platform.dir.resolve("eva-served/dump");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result dumped =
                run(
                        List.of(
                                java,
                                "-Dai.djl.offline=true",
                                "-Dai.djl.pytorch.num_threads=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                platform.root
                                        .resolve("scripts/eva-check/EvaCheckDump.java")
                                        .toString(),
                                "dump",
                                servedWeights.toString(),
                                dump.toString()));
        assertEquals(0, dumped.exit(), dumped.output());

        List<String> check =
                List.of(
                        PYTHON.toString(),
                        platform.root.resolve("scripts/eva-check/check.py").toString(),
                        "eva",
                        dump.toString(),
                        "--lavis",
                        servedLavis.toString(),
                        "--eva",
                        servedVisual.toString());
        Result ok = run(check);
        System.out.println(ok.output());
        assertEquals(0, ok.exit(), ok.output());
        assertTrue(ok.output().contains("LAVIS tower forward_features"), ok.output());
        assertTrue(ok.output().contains("OK: the independent PyTorch tower"), ok.output());

        List<String> perturbed = new ArrayList<>(check);
        perturbed.add("--perturb");
        Result failed = run(perturbed);
        assertEquals(1, failed.exit(), "a moved weight must fail the check: " + failed.output());
        assertTrue(failed.output().contains("MISMATCH"), failed.output());
    }

    private static boolean torchAvailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        return run(List.of(PYTHON.toString(), "-c", "import torch, numpy")).exit() == 0;
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(command)
                        .directory(platform.root.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "did not finish: " + command);
        return new Result(p.exitValue(), output);
    }

    /** GET on the gateway with its read token into {@code target}. */
    private static HttpResponse<Path> download(String path, Path target) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(platform.service("gateway").url() + path))
                            .header("Authorization", "Bearer " + Platform.GATEWAY_READ_TOKEN)
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofFile(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Names to shapes as comparable lists, in name order. */
    private static Map<String, List<Long>> shapes(Map<String, long[]> shapes) {
        Map<String, List<Long>> out = new TreeMap<>();
        shapes.forEach(
                (name, shape) -> out.put(name, java.util.Arrays.stream(shape).boxed().toList()));
        return out;
    }
}
