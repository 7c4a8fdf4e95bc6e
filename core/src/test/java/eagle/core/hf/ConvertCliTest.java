package eagle.core.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converter on plain arrays (no engine): random tensors with the {@code tiny} names and shapes.
 */
class ConvertCliTest {

    private static final ClipConfig CONFIG = ClipConfig.tiny(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return ConvertCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Safetensors.Tensor> randomTensors(ClipConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        config.parameterShapes()
                .forEach(
                        (name, shape) -> {
                            float[] values = new float[(int) Safetensors.elementCount(shape)];
                            for (int i = 0; i < values.length; i++) {
                                values[i] = (float) random.nextGaussian();
                            }
                            tensors.put(name, Safetensors.Tensor.f32(shape, values));
                        });
        return tensors;
    }

    @Test
    void convertsToHfAndBackBitForBit() throws IOException {
        Path ours = dir.resolve("ours.safetensors");
        Map<String, Safetensors.Tensor> tensors = randomTensors(CONFIG, 3);
        OpenAiClipFile.write(ours, CONFIG, tensors);

        Path folder = dir.resolve("hf");
        assertEquals(
                0,
                run(
                        "convert",
                        "--from",
                        "openai",
                        "--to",
                        "hf",
                        "--in",
                        ours.toString(),
                        "--out",
                        folder.toString()),
                err());
        assertTrue(
                out.toString(StandardCharsets.UTF_8)
                        .contains("wrote Hugging Face CLIPModel folder"));
        JsonNode config = JSON.readTree(Files.readString(folder.resolve("config.json")));
        assertEquals(40, config.get("text_config").get("vocab_size").intValue());
        assertTrue(Files.isRegularFile(folder.resolve("preprocessor_config.json")));

        Path back = dir.resolve("back.safetensors");
        assertEquals(
                0,
                run(
                        "convert",
                        "--from",
                        "hf",
                        "--to",
                        "openai",
                        "--in",
                        folder.toString(),
                        "--out",
                        back.toString()),
                err());
        Map<String, Safetensors.Tensor> read = Safetensors.readAll(back);
        assertEquals(tensors.keySet(), read.keySet());
        tensors.forEach(
                (name, t) -> {
                    assertArrayEquals(t.shape(), read.get(name).shape(), name);
                    assertArrayEquals(
                            t.values(),
                            read.get(name).values(),
                            name); // float[] equality is bitwise
                });
        assertEquals(CONFIG, OpenAiClipFile.configOf(back));
    }

    @Test
    void architectureIsInferredWhenTheFileCarriesNone() throws IOException {
        Path bare = dir.resolve("bare.safetensors");
        Safetensors.writeTensors(bare, randomTensors(CONFIG, 4), Map.of());
        assertEquals(
                CONFIG, OpenAiClipFile.inferConfig(Safetensors.readHeader(bare).shapes(), "bare"));
        Path folder = dir.resolve("hf");
        assertEquals(
                0,
                run(
                        "convert",
                        "--from",
                        "openai",
                        "--to",
                        "hf",
                        "--in",
                        bare.toString(),
                        "--out",
                        folder.toString()),
                err());
        assertEquals(CONFIG, HfClipImport.readConfig(folder));
    }

    @Test
    void givenConfigMustFitTheFile() throws IOException {
        Path ours = dir.resolve("ours.safetensors");
        OpenAiClipFile.write(ours, CONFIG, randomTensors(CONFIG, 5));
        // the tiny preset has V = 256, the file V = 40
        assertEquals(
                1,
                run(
                        "convert",
                        "--from",
                        "openai",
                        "--to",
                        "hf",
                        "--in",
                        ours.toString(),
                        "--out",
                        dir.resolve("hf").toString(),
                        "--config",
                        "tiny"));
        assertTrue(
                err().contains("token_embedding.weight expected [256, 128] found [40, 128]"),
                err());
        assertTrue(Files.notExists(dir.resolve("hf")));

        Path json = dir.resolve("config.json");
        Files.writeString(json, CONFIG.toJson());
        assertEquals(
                0,
                run(
                        "convert",
                        "--from",
                        "openai",
                        "--to",
                        "hf",
                        "--in",
                        ours.toString(),
                        "--out",
                        dir.resolve("hf").toString(),
                        "--config",
                        json.toString()),
                err());
    }

    @Test
    void commandLineErrorsPrintTheUsage() {
        assertEquals(2, run());
        assertTrue(err().contains("usage: convert --from openai|hf"), err());
        assertEquals(2, run("convert", "--from", "openai", "--to", "hf", "--in", "x"));
        assertTrue(err().contains("--out is required"), err());
        assertEquals(2, run("convert", "--from", "hf", "--to", "hf", "--in", "x", "--out", "y"));
        assertTrue(err().contains("nothing to convert"), err());
        assertEquals(2, run("convert", "--from", "onnx", "--to", "hf", "--in", "x", "--out", "y"));
        assertTrue(
                err().contains(
                                "--from must be one of openai, hf, eva, lavis, openclip, was 'onnx'"),
                err());
        assertEquals(
                2,
                run(
                        "convert",
                        "--from",
                        "hf",
                        "--to",
                        "openai",
                        "--in",
                        "x",
                        "--out",
                        "y",
                        "--config",
                        "tiny"));
        assertTrue(
                err().contains("--config applies to --from openai --to hf and --from eva only"),
                err());
        assertEquals(
                2,
                run(
                        "convert",
                        "--from",
                        "hf",
                        "--to",
                        "openai",
                        "--in",
                        "x",
                        "--out",
                        "y",
                        "--verbose",
                        "1"));
        assertTrue(err().contains("unknown argument '--verbose'"), err());
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: convert"));
    }

    @Test
    void unreadableInputsFailWithTheReason() throws IOException {
        assertEquals(
                1,
                run(
                        "convert",
                        "--from",
                        "openai",
                        "--to",
                        "hf",
                        "--in",
                        dir.resolve("none.safetensors").toString(),
                        "--out",
                        dir.resolve("hf").toString()));
        assertTrue(err().contains("does not exist"), err());
        assertEquals(
                1,
                run(
                        "convert",
                        "--from",
                        "hf",
                        "--to",
                        "openai",
                        "--in",
                        dir.toString(),
                        "--out",
                        dir.resolve("x.safetensors").toString()));
        assertTrue(err().contains("has no config.json"), err());
        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "not a safetensors file");
        assertEquals(
                1,
                run(
                        "convert",
                        "--from",
                        "openai",
                        "--to",
                        "hf",
                        "--in",
                        junk.toString(),
                        "--out",
                        dir.resolve("hf").toString()));
        assertTrue(err().contains("malformed safetensors file"), err());
    }

    @Test
    void evaLavisLayoutsConvertBothWaysBitForBit() throws IOException {
        ClipConfig eva = EvaLayoutsTest.INFERABLE;
        Path evaClip = dir.resolve("eva-clip.safetensors");
        Safetensors.writeTensors(evaClip, randomTensors(eva, 7), Map.of("format", "pt"));
        Path ours = dir.resolve("ours.safetensors");
        assertEquals(
                0,
                run(
                        "convert",
                        "--from",
                        "eva",
                        "--to",
                        "openai",
                        "--in",
                        evaClip.toString(),
                        "--out",
                        ours.toString()),
                err());
        Path evaBack = dir.resolve("eva-back.safetensors");
        assertEquals(
                0,
                run(
                        "convert",
                        "--from",
                        "openai",
                        "--to",
                        "eva",
                        "--in",
                        ours.toString(),
                        "--out",
                        evaBack.toString()),
                err());
        assertArrayEquals(Files.readAllBytes(evaClip), Files.readAllBytes(evaBack));

        Path lavis = dir.resolve("lavis.safetensors");
        assertEquals(
                0,
                run(
                        "convert",
                        "--from",
                        "openai",
                        "--to",
                        "lavis",
                        "--in",
                        ours.toString(),
                        "--out",
                        lavis.toString()),
                err());
        assertTrue(
                Safetensors.readHeader(lavis)
                        .shapes()
                        .containsKey("visual_encoder.blocks.1.attn.qkv.weight"));
        assertEquals(
                2,
                run(
                        "convert",
                        "--from",
                        "lavis",
                        "--to",
                        "openai",
                        "--in",
                        lavis.toString(),
                        "--out",
                        dir.resolve("x.safetensors").toString()));
        assertTrue(err().contains("--from lavis needs --base"), err());
        Path merged = dir.resolve("merged.safetensors");
        assertEquals(
                0,
                run(
                        "convert",
                        "--from",
                        "lavis",
                        "--to",
                        "openai",
                        "--in",
                        lavis.toString(),
                        "--base",
                        ours.toString(),
                        "--out",
                        merged.toString()),
                err());
        assertArrayEquals(Files.readAllBytes(ours), Files.readAllBytes(merged));

        assertEquals(
                1,
                run(
                        "convert",
                        "--from",
                        "openai",
                        "--to",
                        "hf",
                        "--in",
                        ours.toString(),
                        "--out",
                        dir.resolve("hf").toString()));
        assertTrue(err().contains("no EVA01 image tower"), err());
        assertEquals(
                2, run("convert", "--from", "eva", "--to", "lavis", "--in", "x", "--out", "y"));
        assertTrue(err().contains("no conversion from eva to lavis"), err());
        Path openAi = dir.resolve("openai.safetensors");
        OpenAiClipFile.write(openAi, CONFIG, randomTensors(CONFIG, 8));
        assertEquals(
                1,
                run(
                        "convert",
                        "--from",
                        "openai",
                        "--to",
                        "lavis",
                        "--in",
                        openAi.toString(),
                        "--out",
                        dir.resolve("z.safetensors").toString()));
        assertTrue(err().contains("EVA01"), err());
    }

    @Test
    void evaCheckpointsTakeAPresetWhenTheirWidthHidesTheHeads() throws IOException {
        ClipConfig tiny = ClipConfig.preset("EVA01-tiny");
        Path evaClip = dir.resolve("tiny-eva-clip.safetensors");
        Safetensors.writeTensors(evaClip, randomTensors(tiny, 9), Map.of("format", "pt"));
        Path ours = dir.resolve("ours.safetensors");
        assertEquals(
                1,
                run(
                        "convert",
                        "--from",
                        "eva",
                        "--to",
                        "openai",
                        "--in",
                        evaClip.toString(),
                        "--out",
                        ours.toString()));
        assertTrue(err().contains("not a multiple of EVA01's head width 88"), err());
        assertEquals(
                0,
                run(
                        "convert",
                        "--from",
                        "eva",
                        "--to",
                        "openai",
                        "--in",
                        evaClip.toString(),
                        "--out",
                        ours.toString(),
                        "--config",
                        "EVA01-tiny"),
                err());
        assertEquals(tiny, OpenAiClipFile.configOf(ours));
    }
}
