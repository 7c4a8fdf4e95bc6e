package eagle.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import eagle.client.RegistryClient;
import eagle.client.RegistryRefusedException;
import eagle.client.Version;
import eagle.core.hf.HfClipExport;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.core.model.TokenizerSpec;
import eagle.infra.DevJwt;
import eagle.infra.RegistryProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./eagle register --from hf} against the real registry (its packaged jar on the shared
 * PostgreSQL and Kafka): a Hugging Face folder exported from a small random CLIP with CLIP's
 * vocabulary becomes a READY root version whose {@code architecture} is the encoder spec and whose
 * stored file carries the spec, the model card and the same weights; registering it again answers
 * the same version; refused weights leave the model as it was.
 */
class RegisterCliRegistryTest {

    private static final String MODEL = "clip-imported";
    private static final Pattern REGISTERED =
            Pattern.compile(
                    "registered " + MODEL + " version (\\d+): READY, sha256 ([0-9a-f]{64})");
    private static RegistryProcess registry;
    private static final String TOKEN =
            DevJwt.mint("importer", "registry.read", "registry.register");

    @TempDir Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = RegistryProcess.start("client_register", Path.of("target/registry-process.log"));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /** Vision 64 px in 16 px patches, widths 64, CLIP's text vocabulary 49408 and context 77. */
    static ClipConfig smallClip() {
        return new ClipConfig(
                new ClipConfig.VisionConfig(
                        64, 16, 64, 2, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                new ClipConfig.TextConfig(
                        77, 49408, 64, 1, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                32);
    }

    @Test
    void anHfFolderBecomesAReadyRootVersionWithItsSpecAndCard() throws IOException {
        ClipConfig config = smallClip();
        Path folder = dir.resolve("small-clip-hf");
        Map<String, float[]> original = new java.util.LinkedHashMap<>();
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 11)) {
            HfClipExport.write(model, folder);
            model.parameters().forEach((name, array) -> original.put(name, array.toFloatArray()));
        }

        Result first =
                register(
                        "--name",
                        MODEL,
                        "--from",
                        "hf",
                        folder.toString(),
                        "--registry",
                        registry.url(),
                        "--token",
                        TOKEN,
                        "--licence",
                        "MIT");
        assertEquals(0, first.status, first.toString());
        Matcher m = REGISTERED.matcher(first.out);
        assertTrue(m.find(), first.out);
        int version = Integer.parseInt(m.group(1));
        String sha256 = m.group(2);
        assertTrue(first.out.contains("blesses it as the first"), first.out);
        assertTrue(
                first.out.contains(
                        "/api/v1/models/" + MODEL + "/versions/" + version + "/evaluate"),
                first.out);

        RegistryClient client = new RegistryClient(registry.url(), TOKEN);
        Version v = client.version(MODEL, version);
        assertTrue(v.ready(), v.toString());
        assertEquals(sha256, v.sha256());
        assertEquals(null, v.parentVersion());
        EncoderSpec expected = EncoderSpec.of(config, TokenizerSpec.clipBpe(77), List.of());
        assertEquals(expected, EncoderSpec.fromJson(v.architecture().toString()));

        Path downloaded = dir.resolve("downloaded.safetensors");
        client.download(MODEL, version, sha256, downloaded);
        assertEquals(expected, EncoderSpec.read(downloaded));
        String card = Safetensors.readHeader(downloaded).metadata().get(EncoderImport.MODEL_CARD);
        assertEquals(new ModelCard(MODEL, "small-clip-hf", "hf", "MIT").toJson(), card);
        Map<String, Safetensors.Tensor> stored = Safetensors.readAll(downloaded);
        assertEquals(original.keySet(), stored.keySet());
        for (String name :
                List.of(
                        "visual.conv1.weight",
                        "visual.transformer.resblocks.1.attn.in_proj_weight",
                        "visual.proj",
                        "token_embedding.weight",
                        "text_projection")) {
            assertArrayEquals(original.get(name), stored.get(name).values(), name);
        }

        // the same folder again: the same bytes, so the registry answers the same version
        Result again =
                register(
                        "--name",
                        MODEL,
                        "--from",
                        "hf",
                        folder.toString(),
                        "--registry",
                        registry.url(),
                        "--token",
                        TOKEN,
                        "--licence",
                        "MIT");
        assertEquals(0, again.status, again.toString());
        assertTrue(
                again.out.contains(
                        "registered "
                                + MODEL
                                + " version "
                                + version
                                + ": READY, sha256 "
                                + sha256),
                again.out);

        // weights that fail the checks: refused, and the model has no further version
        Files.writeString(folder.resolve("vocab.json"), "{\"hello\": 0}");
        Result refused =
                register(
                        "--name",
                        MODEL,
                        "--from",
                        "hf",
                        folder.toString(),
                        "--registry",
                        registry.url(),
                        "--token",
                        TOKEN);
        assertEquals(1, refused.status, refused.toString());
        assertTrue(refused.err.contains("nothing was registered"), refused.err);
        RegistryRefusedException none =
                assertThrows(
                        RegistryRefusedException.class, () -> client.version(MODEL, version + 1));
        assertTrue(none.notFound(), none.toString());
    }

    @Test
    void aRegistryRefusalIsExitStatusOneWithItsReason() throws IOException {
        Path file = dir.resolve("small.safetensors");
        Safetensors.writeTensors(file, TestWeights.tensors(TestWeights.smallClip(), 12), Map.of());
        String readOnly = DevJwt.mint("reader", "registry.read");
        Result r =
                register(
                        "--name",
                        "clip-refused",
                        "--from",
                        "openai",
                        file.toString(),
                        "--registry",
                        registry.url(),
                        "--token",
                        readOnly);
        assertEquals(1, r.status, r.toString());
        assertTrue(r.err.contains("403"), r.err);
        assertTrue(
                Arrays.stream(r.out.split("\n")).noneMatch(l -> l.startsWith("registered")), r.out);
    }

    private static Result register(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RegisterCli.run(args, new PrintStream(out), new PrintStream(err), Map.of());
        return new Result(
                status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int status, String out, String err) {}
}
