package eagle.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import eagle.core.hf.HfClipExport;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.EncoderSpec;
import eagle.core.model.MetadataKeys;
import eagle.core.model.TokenizerSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./eagle register} refuses weights it cannot register before any HTTP call: unknown tensor
 * names, wrong shapes, a missing or unknowable architecture or tokenizer, a folder whose tokenizer
 * is not CLIP's. Each case runs the command line against a local HTTP server that counts requests,
 * and checks exit status 1, the reason, and that the server saw nothing.
 */
class RegisterCliCheckTest {

    @TempDir Path dir;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final ClipConfig config = TestWeights.smallClip();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                ex -> {
                    requests.incrementAndGet();
                    ex.sendResponseHeaders(500, -1);
                    ex.close();
                });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void anUnknownTensorNameIsRefusedByName() throws IOException {
        Map<String, Safetensors.Tensor> tensors = TestWeights.tensors(config, 1);
        tensors.put(
                "visual.attnpool.k_proj.weight",
                Safetensors.Tensor.f32(new long[] {2, 2}, new float[4]));
        Path file =
                TestWeights.write(
                        dir.resolve("extra.safetensors"), tensors, spec(config).metadata());
        String err = refused("openai", file);
        assertTrue(err.contains("visual.attnpool.k_proj.weight"), err);
        assertTrue(err.contains("extra"), err);
    }

    @Test
    void aWrongShapeIsRefusedWithBothShapes() throws IOException {
        Map<String, Safetensors.Tensor> tensors = TestWeights.tensors(config, 2);
        tensors.put("visual.proj", Safetensors.Tensor.f32(new long[] {32, 64}, new float[32 * 64]));
        Path file =
                TestWeights.write(
                        dir.resolve("misshaped.safetensors"), tensors, spec(config).metadata());
        String err = refused("openai", file);
        assertTrue(err.contains("visual.proj expected [64, 32] found [32, 64]"), err);
    }

    @Test
    void aMissingTensorIsRefused() throws IOException {
        Map<String, Safetensors.Tensor> tensors = TestWeights.tensors(config, 3);
        tensors.remove("ln_final.bias");
        Path file =
                TestWeights.write(
                        dir.resolve("missing.safetensors"), tensors, spec(config).metadata());
        String err = refused("openai", file);
        assertTrue(err.contains("missing") && err.contains("ln_final.bias"), err);
    }

    @Test
    void aFileWithoutConfigWhoseShapesCannotTellItIsRefused() throws IOException {
        // width 96 is not a multiple of OpenAI's 64-wide heads: the heads cannot be inferred, and
        // no metadata says
        ClipConfig odd =
                new ClipConfig(
                        new ClipConfig.VisionConfig(
                                32, 16, 96, 1, 2, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                        config.text(),
                        32);
        Path file =
                TestWeights.write(
                        dir.resolve("noconfig.safetensors"), TestWeights.tensors(odd, 4), Map.of());
        String err = refused("openai", file);
        assertTrue(err.contains("no " + MetadataKeys.CLIP_CONFIG + " metadata"), err);
        assertTrue(err.contains("give the config explicitly") || err.contains("cannot infer"), err);
    }

    @Test
    void aFileWithAnotherVocabularyAndNoTokenizerIsRefused() throws IOException {
        ClipConfig words =
                new ClipConfig(
                        config.vision(),
                        new ClipConfig.TextConfig(
                                16, 300, 64, 1, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                        32);
        Map<String, String> metadata = Map.of(MetadataKeys.CLIP_CONFIG, words.toJson());
        Path file =
                TestWeights.write(
                        dir.resolve("words.safetensors"), TestWeights.tensors(words, 5), metadata);
        String err = refused("openai", file);
        assertTrue(err.contains("carries no " + MetadataKeys.TOKENIZER), err);
    }

    @Test
    void aFolderIsNotAnOpenAiFileNorAFileAFolder() throws IOException {
        Path file =
                TestWeights.write(
                        dir.resolve("ok.safetensors"),
                        TestWeights.tensors(config, 6),
                        spec(config).metadata());
        assertTrue(refused("openai", dir).contains("is a folder"));
        assertTrue(refused("hf", file).contains("is not a folder"));
    }

    @Test
    void anHfFolderWithoutConfigIsRefused() throws IOException {
        Path folder = hfFolder("noconfig");
        Files.delete(folder.resolve(HfClipExport.CONFIG_FILE));
        assertTrue(refused("hf", folder).contains("has no config.json"));
    }

    @Test
    void anHfFolderWithAnUnknownTensorIsRefused() throws IOException {
        Path folder = hfFolder("unknown");
        Path weights = folder.resolve(HfClipExport.WEIGHTS_FILE);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>(Safetensors.readAll(weights));
        tensors.put(
                "vision_model.adapter.weight",
                Safetensors.Tensor.f32(new long[] {4}, new float[4]));
        Safetensors.writeTensors(weights, tensors, Map.of("format", "pt"));
        assertTrue(refused("hf", folder).contains("vision_model.adapter.weight"));
    }

    @Test
    void anHfFolderWhoseTokenizerIsNotClipsIsRefused() throws IOException {
        Path folder = hfFolder("othervocab");
        StringBuilder vocab = new StringBuilder("{");
        for (int i = 0; i < 1000; i++) {
            vocab.append(i == 0 ? "" : ",").append("\"w").append(i).append("\":").append(i);
        }
        Files.writeString(folder.resolve("vocab.json"), vocab.append("}"));
        String err = refused("hf", folder);
        assertTrue(
                err.contains("vocab.json holds a vocabulary of 1000 tokens, CLIP's has 49408"),
                err);

        Files.delete(folder.resolve("vocab.json"));
        Files.writeString(folder.resolve("merges.txt"), "#version: 0.2\nq z\nx j\n");
        err = refused("hf", folder);
        assertTrue(err.contains("merges.txt merge 1 is 'q z'"), err);
    }

    @Test
    void anHfFolderWithAnotherTextVocabularyIsRefused() throws IOException {
        ClipConfig other =
                new ClipConfig(
                        config.vision(),
                        new ClipConfig.TextConfig(
                                77, 32000, 64, 1, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                        32);
        Path file =
                TestWeights.write(
                        dir.resolve("other.safetensors"),
                        TestWeights.tensors(other, 7),
                        Map.of(MetadataKeys.CLIP_CONFIG, other.toJson()));
        Path folder = dir.resolve("other-hf");
        HfClipExport.write(file, other, folder);
        assertTrue(refused("hf", folder).contains("the text vocabulary has 32000 tokens"));
    }

    @Test
    void wellFormedWeightsPassTheChecksWithCLIPsTokenizer() throws IOException {
        Path file =
                TestWeights.write(
                        dir.resolve("plain.safetensors"), TestWeights.tensors(config, 8), Map.of());
        EncoderSpec fromFile = EncoderImport.check(EncoderImport.Format.OPENAI, file);
        assertEquals(config, fromFile.config());
        assertEquals(TokenizerSpec.clipBpe(77), fromFile.tokenizer());
        assertNull(fromFile.preset());
        EncoderSpec fromFolder = EncoderImport.check(EncoderImport.Format.HF, hfFolder("good"));
        assertEquals(fromFile, fromFolder);
    }

    @Test
    void thePreparedFileKeepsTheTensorsAndCarriesSpecAndCard() throws IOException {
        Map<String, Safetensors.Tensor> tensors = TestWeights.tensors(config, 9);
        Path file =
                TestWeights.write(
                        dir.resolve("plain.safetensors"), tensors, Map.of("format", "pt"));
        ModelCard card =
                new ModelCard("clip-small", "https://example.org/clip-small", "openai", null);
        EncoderImport.Prepared p =
                EncoderImport.prepare(
                        EncoderImport.Format.OPENAI,
                        file,
                        card,
                        dir.resolve("out.safetensors"),
                        EncoderImport.Progress.NONE);
        Safetensors.Header header = Safetensors.readHeader(p.file());
        assertEquals(card.toJson(), header.metadata().get(EncoderImport.MODEL_CARD));
        assertTrue(
                header.metadata()
                        .get(EncoderImport.MODEL_CARD)
                        .contains("\"licence\":\"unknown\""));
        assertEquals(p.spec(), EncoderSpec.read(p.file()));
        assertEquals(0, header.dataStart() % 8);
        Map<String, Safetensors.Tensor> back = Safetensors.readAll(p.file());
        for (var e : tensors.entrySet()) {
            assertTrue(
                    java.util.Arrays.equals(e.getValue().values(), back.get(e.getKey()).values()),
                    e.getKey());
        }
        assertEquals(eagle.client.Sha256.of(p.file()), p.sha256());
    }

    @Test
    void aWrongCommandLineIsExitStatusTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                RegisterCli.run(
                        new String[] {"--from", "openai", "x.safetensors"},
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err),
                        Map.of());
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--name is required"));
        status =
                RegisterCli.run(
                        new String[] {"--name", "n", "--from", "onnx", "x"},
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err),
                        Map.of());
        assertEquals(2, status);
        assertEquals(0, requests.get());
    }

    /**
     * An EVA01-shaped model EvaClipFile can infer: one 88-wide head (EVA01's head width), CLIP's
     * vocabulary.
     */
    private static ClipConfig smallEva() {
        return new ClipConfig(
                new ClipConfig.VisionConfig(
                        32, 16, 88, 1, 1, 2.0, ClipConfig.Activation.GELU, 1e-6),
                new ClipConfig.TextConfig(
                        77, 49408, 64, 1, 1, 4.0, ClipConfig.Activation.GELU, 1e-5),
                32,
                ClipConfig.EVA01_CLIP);
    }

    @Test
    void anEvaClipFileIsAcceptedAndPreparedAsAnEvaEncoder() throws IOException {
        Map<String, Safetensors.Tensor> tensors = TestWeights.tensors(smallEva(), 20);
        Path file =
                TestWeights.write(dir.resolve("eva.safetensors"), tensors, Map.of("format", "pt"));
        EncoderSpec checked = EncoderImport.check(EncoderImport.Format.EVA, file);
        assertEquals(EncoderSpec.EVA01_CLIP, checked.family());
        assertEquals(88, checked.config().vision().width());
        assertEquals(TokenizerSpec.clipBpe(77), checked.tokenizer());
        ModelCard card = new ModelCard("eva-small", "eva.safetensors", "eva", null);
        EncoderImport.Prepared p =
                EncoderImport.prepare(
                        EncoderImport.Format.EVA,
                        file,
                        card,
                        dir.resolve("eva-out.safetensors"),
                        EncoderImport.Progress.NONE);
        assertEquals(checked, EncoderSpec.read(p.file()));
        Map<String, Safetensors.Tensor> back = Safetensors.readAll(p.file());
        assertEquals(tensors.keySet(), back.keySet());
        for (var e : tensors.entrySet()) {
            assertTrue(
                    java.util.Arrays.equals(e.getValue().values(), back.get(e.getKey()).values()),
                    e.getKey());
        }
    }

    @Test
    void anEvaClipFileWithAnUnknownOrMissingTensorIsRefused() throws IOException {
        Map<String, Safetensors.Tensor> tensors = TestWeights.tensors(smallEva(), 21);
        tensors.remove("visual.blocks.0.attn.v_bias");
        tensors.put(
                "visual.blocks.0.gamma_1", Safetensors.Tensor.f32(new long[] {88}, new float[88]));
        String err =
                refused(
                        "eva",
                        TestWeights.write(dir.resolve("bad-eva.safetensors"), tensors, Map.of()));
        assertTrue(err.contains("visual.blocks.0.attn.v_bias"), err);
        assertTrue(err.contains("visual.blocks.0.gamma_1"), err);
        assertTrue(refused("eva", dir).contains("is a folder"));
    }

    /** EVA01's structure at a width that is not a multiple of 88 (two 32-wide heads). */
    private static ClipConfig narrowEva() {
        return new ClipConfig(
                new ClipConfig.VisionConfig(
                        32, 16, 64, 2, 2, 2.75, ClipConfig.Activation.GELU, 1e-6),
                new ClipConfig.TextConfig(
                        77, 49408, 64, 1, 1, 4.0, ClipConfig.Activation.GELU, 1e-5),
                32,
                ClipConfig.EVA01_CLIP);
    }

    @Test
    void anEvaClipFileWhoseWidthIsNotAMultipleOf88TakesAnExplicitConfig() throws IOException {
        Map<String, Safetensors.Tensor> tensors = TestWeights.tensors(narrowEva(), 23);
        Path file =
                TestWeights.write(
                        dir.resolve("narrow-eva.safetensors"), tensors, Map.of("format", "pt"));
        // without a config the heads cannot be inferred
        String err = refused("eva", file);
        assertTrue(err.contains("not a multiple of EVA01's head width 88"), err);

        Path configFile = Files.writeString(dir.resolve("narrow.json"), narrowEva().toJson());
        EncoderSpec checked = EncoderImport.check(EncoderImport.Format.EVA, file, narrowEva());
        assertEquals(EncoderSpec.clipBpe(narrowEva()), checked);
        assertEquals(
                narrowEva(),
                RegisterOptions.evaConfig(configFile.toString(), EncoderImport.Format.EVA));
        EncoderImport.Prepared p =
                EncoderImport.prepare(
                        EncoderImport.Format.EVA,
                        file,
                        narrowEva(),
                        new ModelCard("eva-narrow", "narrow-eva.safetensors", "eva", null),
                        dir.resolve("narrow-out.safetensors"),
                        EncoderImport.Progress.NONE);
        assertEquals(checked, EncoderSpec.read(p.file()));
        assertEquals(2, EncoderSpec.read(p.file()).config().vision().heads());
        Map<String, Safetensors.Tensor> back = Safetensors.readAll(p.file());
        assertEquals(tensors.keySet(), back.keySet());
        for (var e : tensors.entrySet()) {
            assertTrue(
                    java.util.Arrays.equals(e.getValue().values(), back.get(e.getKey()).values()),
                    e.getKey());
        }

        // a config the tensors do not fit is refused naming them; an OpenAI config is no EVA one
        err = refused("eva", file, "--config", "EVA01-tiny");
        assertTrue(err.contains("visual.pos_embed"), err);
        Path openAi = Files.writeString(dir.resolve("openai.json"), config.toJson());
        err = refused("eva", file, "--config", openAi.toString());
        assertTrue(err.contains("--from eva needs an eva01-clip config"), err);
        assertEquals(0, requests.get());
    }

    @Test
    void configIsForEvaCheckpointsOnly() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                RegisterCli.run(
                        new String[] {
                            "--name",
                            "n",
                            "--from",
                            "openai",
                            "x.safetensors",
                            "--config",
                            "EVA01-tiny"
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err),
                        Map.of());
        assertEquals(2, status);
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("--config applies to --from eva"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(0, requests.get());
    }

    @Test
    void anOpenAiFileIsNotAnEvaClipFile() throws IOException {
        Path file =
                TestWeights.write(
                        dir.resolve("openai.safetensors"),
                        TestWeights.tensors(config, 22),
                        Map.of());
        assertTrue(refused("eva", file).contains("visual."));
    }

    private Path openClipFolder(
            String name, String modelCfg, Map<String, Safetensors.Tensor> tensors)
            throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(
                folder.resolve("open_clip_config.json"),
                "{\"model_cfg\": " + modelCfg + ", \"preprocess_cfg\": {}}");
        Safetensors.writeTensors(folder.resolve("open_clip_model.safetensors"), tensors, Map.of());
        return folder;
    }

    private static final String SMALL_OPENCLIP =
            "{\"embed_dim\": 32, \"quick_gelu\": true, "
                    + "\"vision_cfg\": {\"image_size\": 32, \"patch_size\": 16, \"width\": 64, \"layers\": 1, "
                    + "\"head_width\": 64}, \"text_cfg\": {\"context_length\": 77, \"vocab_size\": 49408, "
                    + "\"width\": 64, \"heads\": 1, \"layers\": 1}}";

    @Test
    void anOpenClipFolderIsReadWithItsConfigsSizesAndActivation() throws IOException {
        Map<String, Safetensors.Tensor> tensors = TestWeights.tensors(config, 23);
        Path folder = openClipFolder("openclip", SMALL_OPENCLIP, tensors);
        EncoderSpec checked = EncoderImport.check(EncoderImport.Format.OPENCLIP, folder);
        assertEquals(config, checked.config());
        ModelCard card = new ModelCard("oc-small", "openclip", "openclip", null);
        EncoderImport.Prepared p =
                EncoderImport.prepare(
                        EncoderImport.Format.OPENCLIP,
                        folder,
                        card,
                        dir.resolve("oc-out.safetensors"),
                        EncoderImport.Progress.NONE);
        assertEquals(checked, EncoderSpec.read(p.file()));
        Map<String, Safetensors.Tensor> back = Safetensors.readAll(p.file());
        for (var e : tensors.entrySet()) {
            assertTrue(
                    java.util.Arrays.equals(e.getValue().values(), back.get(e.getKey()).values()),
                    e.getKey());
        }
    }

    @Test
    void anOpenClipFolderItCannotExpressOrWithAWrongTensorIsRefused() throws IOException {
        String timm =
                SMALL_OPENCLIP.replace(
                        "\"head_width\": 64",
                        "\"head_width\": 64, \"timm_model_name\": \"eva_giant\"");
        assertTrue(
                refused("openclip", openClipFolder("timm", timm, TestWeights.tensors(config, 24)))
                        .contains("timm_model_name"));
        Map<String, Safetensors.Tensor> tensors = TestWeights.tensors(config, 25);
        tensors.put("visual.proj", Safetensors.Tensor.f32(new long[] {32, 64}, new float[32 * 64]));
        assertTrue(
                refused("openclip", openClipFolder("misshaped", SMALL_OPENCLIP, tensors))
                        .contains("visual.proj expected [64, 32] found [32, 64]"));
        Path file =
                TestWeights.write(
                        dir.resolve("f.safetensors"), TestWeights.tensors(config, 26), Map.of());
        assertTrue(refused("openclip", file).contains("is not a folder"));
    }

    private Path hfFolder(String name) throws IOException {
        Path file =
                TestWeights.write(
                        dir.resolve(name + ".safetensors"),
                        TestWeights.tensors(config, 10),
                        Map.of());
        Path folder = dir.resolve(name + "-hf");
        HfClipExport.write(file, config, folder);
        return folder;
    }

    private EncoderSpec spec(ClipConfig c) {
        return EncoderSpec.of(c, TokenizerSpec.clipBpe(c.text().contextLength()), List.of());
    }

    /**
     * Runs the command line; asserts exit status 1, "nothing was registered" and no request;
     * returns stderr.
     */
    private String refused(String from, Path path, String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "--name",
                                "clip-small",
                                "--from",
                                from,
                                path.toString(),
                                "--registry",
                                "http://127.0.0.1:" + server.getAddress().getPort(),
                                "--token",
                                "t"));
        args.addAll(List.of(extra));
        int status =
                RegisterCli.run(
                        args.toArray(String[]::new),
                        new PrintStream(out),
                        new PrintStream(err),
                        Map.of());
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, status, "stdout: " + out + "\nstderr: " + text);
        assertTrue(text.contains("nothing was registered"), text);
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("registered clip-small"));
        assertEquals(0, requests.get(), "an HTTP call was made for refused weights");
        return text;
    }
}
