package eagle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaModelTest {

    /**
     * EVA01-CLIP-g-14's image tower, computed by hand from its structure (core/EVA.md): patch
     * embedding 1408·3·14·14 + 1408, cls 1408, positions 257·1408, 40 blocks of 25,248,768 (norm1
     * 2816, qkv 3·1408², q/v biases 2816, proj 1408² + 1408, norm2 2816, fc1 6144·1408 + 6144, fc2
     * 1408·6144 + 1408), norm 2816, head 1024·1408 + 1024. EVA-CLIP's paper (Sun et al. 2023,
     * "EVA-CLIP: Improved Training Techniques for CLIP at Scale", table of model sizes) gives 1.0B
     * image parameters for EVA01-CLIP-g/14.
     */
    static final long G14_VISION_PARAMETERS = 1_012_588_928L;

    @Test
    void g14ShapesAndParameterCountMatchThePublishedSize() {
        ClipConfig g14 = ClipConfig.preset("EVA01-CLIP-g-14");
        assertTrue(g14.isEva());
        assertEquals(6144, EvaVisionTransformer.mlpWidth(g14.vision()));
        Map<String, long[]> shapes = g14.parameterShapes(); // computed, nothing allocated
        assertArrayEquals(
                new long[] {1408, 3, 14, 14}, shapes.get("visual.patch_embed.proj.weight"));
        assertArrayEquals(new long[] {1408}, shapes.get("visual.patch_embed.proj.bias"));
        assertArrayEquals(new long[] {1, 1, 1408}, shapes.get("visual.cls_token"));
        assertArrayEquals(new long[] {1, 257, 1408}, shapes.get("visual.pos_embed"));
        assertArrayEquals(new long[] {4224, 1408}, shapes.get("visual.blocks.39.attn.qkv.weight"));
        assertArrayEquals(new long[] {1408}, shapes.get("visual.blocks.39.attn.q_bias"));
        assertArrayEquals(new long[] {6144, 1408}, shapes.get("visual.blocks.0.mlp.fc1.weight"));
        assertArrayEquals(new long[] {1024, 1408}, shapes.get("visual.head.weight"));
        assertArrayEquals(new long[] {1024}, shapes.get("visual.head.bias"));
        assertFalse(shapes.containsKey("visual.blocks.40.norm1.weight"));
        assertFalse(shapes.containsKey("visual.blocks.0.attn.k_bias"));
        assertFalse(shapes.containsKey("visual.fc_norm.weight"));
        assertEquals(G14_VISION_PARAMETERS, g14.visionParameterCount());
        assertEquals(1.0e9, g14.visionParameterCount(), 0.02e9);
        // the text tower is OpenAI ViT-L/14's shape: 123,846,912 parameters with its 768 × 1024
        // projection
        assertEquals(G14_VISION_PARAMETERS + 123_846_912L + 1, g14.parameterCount());
    }

    @Test
    void evaConfigsCarryTheirFamilyThroughJsonAndOpenAiJsonIsUnchanged() {
        ClipConfig eva = ClipConfig.preset("EVA01-tiny");
        String json = eva.toJson();
        assertTrue(json.contains("\"visionFamily\":\"eva01-clip\""), json);
        assertEquals(eva, ClipConfig.fromJson(json));
        ClipConfig openAi = ClipConfig.preset("ViT-B-16");
        assertFalse(openAi.toJson().contains("visionFamily"), openAi.toJson());
        assertEquals(ClipConfig.OPENAI_CLIP, ClipConfig.fromJson(openAi.toJson()).family());
        assertNull(
                new ClipConfig(openAi.vision(), openAi.text(), 512, "openai-clip").visionFamily());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClipConfig(openAi.vision(), openAi.text(), 512, "eva02-clip"));
    }

    @Test
    void encoderSpecsTakeTheFamilyOfTheirConfig() {
        EncoderSpec g14 = EncoderSpec.preset("EVA01-CLIP-g-14");
        assertEquals(EncoderSpec.EVA01_CLIP, g14.family());
        assertEquals(g14, EncoderSpec.fromJson(g14.toJson()));
        assertEquals(g14, EncoderSpec.fromMetadata(g14.metadata()));
        assertEquals(
                "EVA01-CLIP-g-14",
                EncoderSpec.clipBpe(ClipConfig.preset("EVA01-CLIP-g-14")).preset());
        ClipConfig tiny = ClipConfig.evaTiny(30);
        TokenizerSpec words = TokenizerSpec.words(List.of("cat", "dog"), 16);
        assertEquals(EncoderSpec.EVA01_CLIP, EncoderSpec.of(tiny, words, List.of()).family());
        IllegalArgumentException mismatch =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new EncoderSpec(
                                        EncoderSpec.OPENAI_CLIP, null, tiny, words, List.of()));
        assertTrue(mismatch.getMessage().contains("eva01-clip"), mismatch.getMessage());
        EncoderSpec openAi = EncoderSpec.preset("ViT-L-14");
        assertTrue(
                g14.differenceFrom(openAi)
                        .orElseThrow()
                        .contains("family eva01-clip != openai-clip"));
    }

    @Test
    void forwardMatchesAnIndependentDoublePrecisionReference() {
        ClipConfig config = ClipConfig.evaTiny(30);
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 3);
                NDManager manager = NDManager.newBaseManager(Device.cpu());
                NDScope scope = new NDScope()) {
            randomise(
                    model, 11); // biases, q/v biases and norms non-trivial, so each one is checked
            float[] image = new float[3 * 32 * 32];
            Random random = new Random(5);
            for (int i = 0; i < image.length; i++) {
                image[i] = (float) random.nextGaussian();
            }
            ImageFeatures features =
                    model.encodeImage(manager.create(image, new Shape(1, 3, 32, 32)));
            assertEquals(new Shape(1, 32), features.cls().getShape());
            assertEquals(new Shape(1, 16, 32), features.patches().getShape());

            Map<String, float[]> host = new LinkedHashMap<>();
            model.parameters().forEach((name, array) -> host.put(name, array.toFloatArray()));
            double[][] expected = new EvaReference(config, host).features(image);
            float[] cls = features.cls().toFloatArray();
            float[] patches = features.patches().toFloatArray();
            for (int d = 0; d < 32; d++) {
                assertEquals(expected[0][d], cls[d], 1e-4, "cls " + d);
                for (int p = 0; p < 16; p++) {
                    assertEquals(
                            expected[1 + p][d],
                            patches[p * 32 + d],
                            1e-4,
                            "patch " + p + " dim " + d);
                }
            }
            // BLIP-2's input: the tokens after all but the last block (the penultimate block's
            // output)
            EvaVisionTransformer tower = (EvaVisionTransformer) model.imageTower();
            float[] penultimate =
                    tower.tokens(manager.create(image, new Shape(1, 3, 32, 32)), 1).toFloatArray();
            double[][] reference = new EvaReference(config, host).tokens(image, 1);
            for (int t = 0; t < 17; t++) {
                for (int d = 0; d < 64; d++) {
                    assertEquals(reference[t][d], penultimate[t * 64 + d], 1e-4);
                }
            }
        }
    }

    @Test
    void theKeysHaveNoBiasButQueriesAndValuesDo() {
        ClipConfig config = ClipConfig.evaTiny(30);
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 3);
                NDManager manager = NDManager.newBaseManager(Device.cpu());
                NDScope scope = new NDScope()) {
            randomise(model, 12);
            NDArray pixels = ClipModelTest.pixels(manager, 2, 32, 4);
            float[] before = model.encodeImage(pixels).cls().toFloatArray();
            // a value bias is a trained parameter: changing it changes the output
            model.parameter("visual.blocks.0.attn.v_bias").set(new NDIndex("0"), 3f);
            float[] after = model.encodeImage(pixels).cls().toFloatArray();
            assertFalse(java.util.Arrays.equals(before, after));
            assertEquals(
                    List.of(
                            "visual.blocks.0.attn.qkv.weight",
                            "visual.blocks.0.attn.proj.weight",
                            "visual.blocks.0.mlp.fc1.weight",
                            "visual.blocks.0.mlp.fc2.weight"),
                    model.parameters().keySet().stream()
                            .filter(
                                    n ->
                                            n.startsWith("visual.blocks.0.")
                                                    && ClipModel.isGaloreTarget(n))
                            .toList());
            assertFalse(ClipModel.isGaloreTarget("visual.blocks.0.attn.q_bias"));
            assertFalse(ClipModel.isGaloreTarget("visual.head.weight"));
            assertThrows(IllegalStateException.class, model::visual);
        }
    }

    @Test
    void savedEvaModelsLoadBitExactWithTheirConfig(@TempDir Path dir) throws Exception {
        ClipConfig config = ClipConfig.evaTiny(30);
        Path file = dir.resolve("eva.safetensors");
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 8)) {
            model.save(
                    file,
                    EncoderSpec.of(config, TokenizerSpec.words(List.of("a"), 16), List.of())
                            .metadata());
            try (ClipModel loaded = ClipModel.load(file, Device.cpu())) {
                assertEquals(config, loaded.config());
                model.parameters()
                        .forEach(
                                (name, array) ->
                                        assertArrayEquals(
                                                array.toFloatArray(),
                                                loaded.parameter(name).toFloatArray(),
                                                name));
            }
            assertEquals(EncoderSpec.EVA01_CLIP, EncoderSpec.read(file).family());
        }
    }

    @Test
    void evaGradientsMatchCentralFiniteDifferencesInFloat64() {
        ClipConfig config =
                new ClipConfig(
                        new ClipConfig.VisionConfig(
                                8, 4, 16, 2, 2, 2.0, ClipConfig.Activation.GELU, 1e-6),
                        new ClipConfig.TextConfig(
                                6, 12, 16, 1, 2, 2.0, ClipConfig.Activation.GELU, 1e-5),
                        8,
                        ClipConfig.EVA01_CLIP);
        String[] names = {
            "visual.blocks.0.attn.qkv.weight",
            "visual.blocks.0.attn.qkv.weight",
            "visual.blocks.1.attn.qkv.weight",
            "visual.blocks.0.attn.q_bias",
            "visual.blocks.1.attn.v_bias",
            "visual.blocks.0.attn.proj.weight",
            "visual.blocks.1.mlp.fc1.weight",
            "visual.blocks.0.mlp.fc2.bias",
            "visual.patch_embed.proj.bias",
            "visual.cls_token",
            "visual.pos_embed",
            "visual.norm.weight",
            "visual.head.weight"
        };
        // qkv rows 0..15 are q, 16..31 k, 32..47 v
        long[][] entries = {
            {3, 5}, {20, 7}, {40, 2}, {6}, {9}, {4, 11}, {17, 3}, {2}, {5}, {0, 0, 7}, {0, 3, 1},
            {8}, {2, 13}
        };
        try (ClipModel m = ClipModel.create(config, Device.cpu(), 5, DataType.FLOAT64);
                NDManager local = NDManager.newBaseManager()) {
            NDArray pixels = ClipModelTest.pixels(local, 2, 8, 9).toType(DataType.FLOAT64, false);
            // seeded, so the objective (and whether a gradient entry is tiny) is the same every run
            NDArray r1 = local.create(gaussians(new Random(13), 2 * 8), new Shape(2, 8));
            NDArray r2 = local.create(gaussians(new Random(17), 2 * 4 * 8), new Shape(2, 4, 8));
            m.setTrainable(name -> true);
            java.util.function.Supplier<NDArray> objective =
                    () -> {
                        ImageFeatures f = m.encodeImage(pixels);
                        return f.cls().mul(r1).sum().add(f.patches().mul(r2).sum());
                    };
            ClipModelTest.assertGradientsMatchFiniteDifferences(m, names, entries, objective, 1e-6);
        }
    }

    private static double[] gaussians(Random random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    /** Every parameter drawn from N(0, 0.1²), layer-norm gains around 1. */
    static void randomise(ClipModel model, long seed) {
        Random random = new Random(seed);
        model.parameters()
                .forEach(
                        (name, array) -> {
                            float[] values = new float[Math.toIntExact(array.size())];
                            boolean gain =
                                    name.endsWith("norm1.weight")
                                            || name.endsWith("norm2.weight")
                                            || name.equals("visual.norm.weight");
                            for (int i = 0; i < values.length; i++) {
                                values[i] = (float) ((gain ? 1 : 0) + 0.1 * random.nextGaussian());
                            }
                            try (NDArray source =
                                    model.manager().create(values, array.getShape())) {
                                array.set(new NDIndex("..."), source);
                            }
                        });
    }
}
