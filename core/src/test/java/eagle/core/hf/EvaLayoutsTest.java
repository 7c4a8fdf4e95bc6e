package eagle.core.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EVA-CLIP's and LAVIS's layouts of an EVA01 image tower, both ways (core/EVA.md). */
class EvaLayoutsTest {

    /** Heads of EVA01's width 88, so the architecture can be inferred from the shapes alone. */
    static final ClipConfig INFERABLE =
            new ClipConfig(
                    new ClipConfig.VisionConfig(
                            28, 14, 176, 3, 2, 2.5, ClipConfig.Activation.GELU, 1e-6),
                    new ClipConfig.TextConfig(
                            8, 30, 64, 1, 1, 4.0, ClipConfig.Activation.GELU, 1e-5),
                    32,
                    ClipConfig.EVA01_CLIP);

    @TempDir Path dir;

    static Map<String, Safetensors.Tensor> random(ClipConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        config.parameterShapes()
                .forEach(
                        (name, shape) -> {
                            float[] values =
                                    new float[Math.toIntExact(Safetensors.elementCount(shape))];
                            for (int i = 0; i < values.length; i++) {
                                values[i] = (float) random.nextGaussian();
                            }
                            tensors.put(name, Safetensors.Tensor.f32(shape, values));
                        });
        return tensors;
    }

    private Path ours(ClipConfig config, long seed, String name) throws IOException {
        Path file = dir.resolve(name);
        OpenAiClipFile.write(file, config, random(config, seed));
        return file;
    }

    @Test
    void evaClipCheckpointsRoundTripBitExactAndTheirArchitectureIsInferred() throws IOException {
        Map<String, Safetensors.Tensor> original = random(INFERABLE, 1);
        Path evaClip = dir.resolve("eva-clip.safetensors");
        Safetensors.writeTensors(evaClip, original, Map.of("format", "pt"));

        Path ours = dir.resolve("ours.safetensors");
        assertEquals(INFERABLE, EvaClipFile.convert(evaClip, ours, null));
        assertEquals(INFERABLE, OpenAiClipFile.configOf(ours)); // carried in the metadata
        Path back = dir.resolve("back.safetensors");
        EvaClipFile.export(ours, back);
        assertArrayEquals(Files.readAllBytes(evaClip), Files.readAllBytes(back));

        // EVA-CLIP's CustomCLIP form keeps the text tower under "text."
        Map<String, Safetensors.Tensor> custom = new LinkedHashMap<>();
        original.forEach(
                (name, t) -> custom.put(name.startsWith("visual.") ? name : "text." + name, t));
        Path customFile = dir.resolve("custom.safetensors");
        Safetensors.writeTensors(customFile, custom, Map.of("format", "pt"));
        Path oursFromCustom = dir.resolve("ours-custom.safetensors");
        EvaClipFile.convert(customFile, oursFromCustom, null);
        assertArrayEquals(Files.readAllBytes(ours), Files.readAllBytes(oursFromCustom));
    }

    @Test
    void g14InfersFromItsShapesWithTruncatedMlpRatio() {
        ClipConfig g14 = ClipConfig.preset("EVA01-CLIP-g-14");
        ClipConfig inferred = EvaClipFile.inferConfig(g14.parameterShapes(), "g14");
        assertEquals(g14.parameterShapes().keySet(), inferred.parameterShapes().keySet());
        assertEquals(g14.vision().heads(), inferred.vision().heads());
        assertEquals(g14.vision().layers(), inferred.vision().layers());
        assertEquals(6144, eagle.core.model.EvaVisionTransformer.mlpWidth(inferred.vision()));
        assertEquals(1024, inferred.embedDim());
        assertEquals(g14.parameterCount(), inferred.parameterCount());
    }

    @Test
    void evaClipCheckpointsWithWrongShapesOrUnknownNamesAreRefused() throws IOException {
        Map<String, Safetensors.Tensor> tensors = random(INFERABLE, 2);
        tensors.put(
                "visual.blocks.0.attn.k_bias",
                Safetensors.Tensor.f32(new long[] {176}, new float[176]));
        tensors.put("visual.head.bias", Safetensors.Tensor.f32(new long[] {31}, new float[31]));
        tensors.remove("visual.blocks.1.attn.v_bias");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EvaClipFile.fromEvaClip(tensors, INFERABLE, "bad"));
        assertTrue(e.getMessage().contains("visual.blocks.0.attn.k_bias"), e.getMessage());
        assertTrue(e.getMessage().contains("visual.head.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("visual.blocks.1.attn.v_bias"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        EvaClipFile.fromEvaClip(
                                random(INFERABLE, 2),
                                ClipConfig.preset("ViT-B-16"),
                                "openai config"));
        Path openAi = ours(ClipConfig.tiny(30), 3, "openai.safetensors");
        assertThrows(
                IllegalArgumentException.class,
                () -> EvaClipFile.export(openAi, dir.resolve("x.safetensors")));
    }

    @Test
    void lavisLayoutDropsTheLastBlockNormHeadAndTextAndKeepsTheRestUnderVisualEncoder() {
        Map<String, long[]> g14 = LavisEvaFile.lavisShapes(ClipConfig.preset("EVA01-CLIP-g-14"));
        assertTrue(g14.containsKey("visual_encoder.blocks.38.mlp.fc2.weight"));
        assertFalse(g14.containsKey("visual_encoder.blocks.39.norm1.weight"));
        assertFalse(
                g14.keySet().stream()
                        .anyMatch(
                                n ->
                                        n.startsWith("visual_encoder.norm.")
                                                || n.startsWith("visual_encoder.head.")
                                                || !n.startsWith("visual_encoder.")));
        assertArrayEquals(new long[] {1, 1, 1408}, g14.get("visual_encoder.cls_token"));
        assertArrayEquals(new long[] {1408}, g14.get("visual_encoder.patch_embed.proj.bias"));
        assertArrayEquals(new long[] {1408}, g14.get("visual_encoder.blocks.0.attn.q_bias"));
        assertEquals(4 + 39 * 13, g14.size());
    }

    @Test
    void lavisRoundTripsBitExactBothWays() throws IOException {
        ClipConfig config = ClipConfig.evaTiny(30);
        Path source = ours(config, 4, "source.safetensors");
        Path lavis = dir.resolve("lavis.safetensors");
        LavisEvaFile.export(source, lavis);

        // ours → LAVIS → ours over another base: every carried tensor is the source's, the rest the
        // base's
        Path base = ours(config, 5, "base.safetensors");
        Path merged = dir.resolve("merged.safetensors");
        assertEquals(config, LavisEvaFile.overlay(lavis, base, merged));
        Map<String, Safetensors.Tensor> sourceTensors = Safetensors.readAll(source);
        Map<String, Safetensors.Tensor> baseTensors = Safetensors.readAll(base);
        Safetensors.readAll(merged)
                .forEach(
                        (name, tensor) -> {
                            Safetensors.Tensor expected =
                                    LavisEvaFile.carried(name, config)
                                            ? sourceTensors.get(name)
                                            : baseTensors.get(name);
                            assertArrayEquals(expected.values(), tensor.values(), name);
                        });
        assertFalse(LavisEvaFile.carried("visual.blocks.1.attn.qkv.weight", config));
        assertTrue(LavisEvaFile.carried("visual.blocks.0.attn.qkv.weight", config));

        // LAVIS → ours → LAVIS: the same bytes
        Path again = dir.resolve("again.safetensors");
        LavisEvaFile.export(merged, again);
        assertArrayEquals(Files.readAllBytes(lavis), Files.readAllBytes(again));
    }

    @Test
    void lavisFilesWithWrongShapesUnknownNamesOrTheDroppedBlockAreRefused() throws IOException {
        ClipConfig config = ClipConfig.evaTiny(30);
        Map<String, Safetensors.Tensor> lavis = LavisEvaFile.toLavis(random(config, 6), config);
        Map<String, Safetensors.Tensor> misshaped = new LinkedHashMap<>(lavis);
        misshaped.put(
                "visual_encoder.pos_embed",
                Safetensors.Tensor.f32(new long[] {1, 16, 64}, new float[16 * 64]));
        IllegalArgumentException shape =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LavisEvaFile.fromLavis(misshaped, config, "misshaped"));
        assertTrue(shape.getMessage().contains("visual_encoder.pos_embed"), shape.getMessage());

        Map<String, Safetensors.Tensor> unknown = new LinkedHashMap<>(lavis);
        unknown.put(
                "visual_encoder.blocks.0.attn.k_bias",
                Safetensors.Tensor.f32(new long[] {64}, new float[64]));
        unknown.put(
                "visual_encoder.blocks.1.norm1.weight",
                Safetensors.Tensor.f32(new long[] {64}, new float[64]));
        IllegalArgumentException names =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LavisEvaFile.fromLavis(unknown, config, "unknown"));
        assertTrue(
                names.getMessage().contains("visual_encoder.blocks.0.attn.k_bias"),
                names.getMessage());
        assertTrue(
                names.getMessage().contains("visual_encoder.blocks.1.norm1.weight"),
                names.getMessage());

        Path openAi = ours(ClipConfig.tiny(30), 7, "openai.safetensors");
        assertThrows(
                IllegalArgumentException.class,
                () -> LavisEvaFile.export(openAi, dir.resolve("y.safetensors")));
    }
}
