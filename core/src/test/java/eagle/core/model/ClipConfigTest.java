package eagle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipConfigTest {

    /**
     * Parameter counts OpenAI reports for its released checkpoints (sum of every state-dict tensor,
     * including logit_scale); computed here from shapes alone, nothing allocated.
     */
    @Test
    void realPresetsHaveOpenAiParameterCounts() {
        assertEquals(149_620_737L, ClipConfig.preset("ViT-B-16").parameterCount());
        assertEquals(427_616_513L, ClipConfig.preset("ViT-L-14").parameterCount());
        assertEquals(427_944_193L, ClipConfig.preset("ViT-L-14-336").parameterCount());
    }

    @Test
    void vitB16HasOpenAiNamesAndShapes() {
        Map<String, long[]> shapes = ClipConfig.preset("ViT-B-16").parameterShapes();
        // vision: 5 stem tensors, 12 per block × 12, ln_post (2) + proj; text: 2 stem, 12 × 12,
        // ln_final (2), text_projection, logit_scale
        assertEquals(5 + 144 + 3 + 2 + 144 + 4, shapes.size());
        assertArrayEquals(new long[] {768, 3, 16, 16}, shapes.get("visual.conv1.weight"));
        assertArrayEquals(new long[] {768}, shapes.get("visual.class_embedding"));
        assertArrayEquals(new long[] {197, 768}, shapes.get("visual.positional_embedding"));
        assertArrayEquals(
                new long[] {2304, 768},
                shapes.get("visual.transformer.resblocks.11.attn.in_proj_weight"));
        assertArrayEquals(
                new long[] {2304}, shapes.get("visual.transformer.resblocks.0.attn.in_proj_bias"));
        assertArrayEquals(
                new long[] {768, 768},
                shapes.get("visual.transformer.resblocks.3.attn.out_proj.weight"));
        assertArrayEquals(
                new long[] {3072, 768},
                shapes.get("visual.transformer.resblocks.0.mlp.c_fc.weight"));
        assertArrayEquals(
                new long[] {768, 3072},
                shapes.get("visual.transformer.resblocks.0.mlp.c_proj.weight"));
        assertArrayEquals(new long[] {768, 512}, shapes.get("visual.proj"));
        assertArrayEquals(new long[] {49408, 512}, shapes.get("token_embedding.weight"));
        assertArrayEquals(new long[] {77, 512}, shapes.get("positional_embedding"));
        assertArrayEquals(
                new long[] {1536, 512}, shapes.get("transformer.resblocks.11.attn.in_proj_weight"));
        assertArrayEquals(new long[] {512}, shapes.get("ln_final.bias"));
        assertArrayEquals(new long[] {512, 512}, shapes.get("text_projection"));
        assertArrayEquals(new long[] {}, shapes.get("logit_scale"));
        assertTrue(!shapes.containsKey("visual.transformer.resblocks.12.ln_1.weight"));
        assertTrue(!shapes.containsKey("visual.conv1.bias"));
    }

    @Test
    void vitL14At336HasLargerPositionalEmbeddingOnly() {
        Map<String, long[]> l14 = ClipConfig.preset("ViT-L-14").parameterShapes();
        Map<String, long[]> l336 = ClipConfig.preset("ViT-L-14-336").parameterShapes();
        assertEquals(l14.keySet(), l336.keySet());
        assertArrayEquals(new long[] {257, 1024}, l14.get("visual.positional_embedding"));
        assertArrayEquals(new long[] {577, 1024}, l336.get("visual.positional_embedding"));
        assertArrayEquals(new long[] {1024, 3, 14, 14}, l14.get("visual.conv1.weight"));
        assertArrayEquals(new long[] {1024, 768}, l14.get("visual.proj"));
        assertArrayEquals(
                new long[] {2304, 768}, l14.get("transformer.resblocks.0.attn.in_proj_weight"));
        assertTrue(l14.containsKey("visual.transformer.resblocks.23.ln_2.bias"));
        assertTrue(!l14.containsKey("visual.transformer.resblocks.24.ln_2.bias"));
    }

    @Test
    void tinyHasTheDocumentedShape() {
        ClipConfig tiny = ClipConfig.tiny(150);
        assertEquals(8, tiny.vision().grid());
        assertEquals(64, tiny.vision().numPatches());
        assertEquals(512, tiny.vision().mlpWidth());
        Map<String, long[]> shapes = tiny.parameterShapes();
        assertArrayEquals(new long[] {150, 128}, shapes.get("token_embedding.weight"));
        assertArrayEquals(new long[] {16, 128}, shapes.get("positional_embedding"));
        assertArrayEquals(new long[] {65, 128}, shapes.get("visual.positional_embedding"));
        assertEquals(
                ClipConfig.TINY_DEFAULT_VOCAB_SIZE, ClipConfig.preset("tiny").text().vocabSize());
        assertEquals(
                List.of(
                        "visual.conv1.weight",
                        "visual.class_embedding",
                        "visual.positional_embedding"),
                shapes.keySet().stream().limit(3).toList());
        assertEquals("logit_scale", shapes.keySet().stream().reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void jsonRoundTripPreservesEveryField() {
        ClipConfig config =
                new ClipConfig(
                        new ClipConfig.VisionConfig(
                                32, 8, 96, 2, 3, 2.5, ClipConfig.Activation.GELU, 1e-6),
                        new ClipConfig.TextConfig(
                                12, 77, 64, 1, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                        48);
        String json = config.toJson();
        assertEquals(config, ClipConfig.fromJson(json));
        assertTrue(json.contains("\"activation\":\"GELU\""), json);
    }

    @Test
    void invalidConfigsAreRejectedWithReasons() {
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> ClipConfig.preset("ViT-H-14"));
        assertTrue(
                unknown.getMessage().contains("ViT-H-14")
                        && unknown.getMessage().contains("ViT-L-14-336"));
        IllegalArgumentException patch =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new ClipConfig.VisionConfig(
                                        60, 8, 128, 1, 2, 4, ClipConfig.Activation.GELU, 1e-5));
        assertTrue(patch.getMessage().contains("multiple"), patch.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new ClipConfig.TextConfig(
                                16, 10, 100, 1, 3, 4, ClipConfig.Activation.GELU, 1e-5));
        assertThrows(
                IllegalArgumentException.class, () -> ClipConfig.fromJson("{\"embedDim\": 4}"));
    }

    @Test
    void aConfigArgumentIsAListedPresetOrAConfigFile(@TempDir Path dir) throws Exception {
        assertEquals(
                ClipConfig.preset("EVA01-tiny"),
                ClipConfig.presetOrFile("EVA01-tiny", ClipConfig.EVA_PRESETS));
        Path file = dir.resolve("config.json");
        ClipConfig odd = ClipConfig.tiny(40);
        Files.writeString(file, odd.toJson());
        assertEquals(odd, ClipConfig.presetOrFile(file.toString(), ClipConfig.EVA_PRESETS));

        // a preset outside the list is looked up as a file
        IllegalArgumentException notListed =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ClipConfig.presetOrFile("tiny", ClipConfig.EVA_PRESETS));
        assertTrue(notListed.getMessage().contains("neither a preset [EVA01-CLIP-g-14"));
        Files.writeString(dir.resolve("broken.json"), "{\"vision\": 3");
        IllegalArgumentException broken =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ClipConfig.presetOrFile(
                                        dir.resolve("broken.json").toString(), ClipConfig.PRESETS));
        assertTrue(
                broken.getMessage().contains("is not a ClipConfig JSON file"), broken.getMessage());
    }
}
