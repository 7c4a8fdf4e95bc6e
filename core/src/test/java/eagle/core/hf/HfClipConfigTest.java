package eagle.core.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.image.ImagePreprocessor;
import eagle.core.model.ClipConfig;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HfClipConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Checks config.json against the tensor shapes the architecture implies (nothing is allocated).
     */
    private static void assertConfigMatchesShapes(ClipConfig config) {
        Map<String, long[]> shapes = config.parameterShapes();
        JsonNode root = HfClipConfig.configJson(config);
        JsonNode v = root.get("vision_config");
        JsonNode t = root.get("text_config");

        assertEquals(List.of("CLIPModel"), List.of(root.get("architectures").get(0).textValue()));
        assertEquals("clip", root.get("model_type").textValue());
        assertEquals("float32", root.get("torch_dtype").textValue());
        assertEquals(2.6592, root.get("logit_scale_init_value").doubleValue());
        long d = shapes.get("visual.proj")[1];
        assertEquals(d, root.get("projection_dim").longValue());
        assertEquals(d, shapes.get("text_projection")[1]);
        assertEquals(d, v.get("projection_dim").longValue());
        assertEquals(d, t.get("projection_dim").longValue());

        assertEquals("clip_vision_model", v.get("model_type").textValue());
        long[] conv1 = shapes.get("visual.conv1.weight");
        assertEquals(conv1[0], v.get("hidden_size").longValue());
        assertEquals(shapes.get("visual.class_embedding")[0], v.get("hidden_size").longValue());
        assertEquals(conv1[1], v.get("num_channels").longValue());
        assertEquals(conv1[2], v.get("patch_size").longValue());
        long patches = shapes.get("visual.positional_embedding")[0] - 1;
        long grid = v.get("image_size").longValue() / v.get("patch_size").longValue();
        assertEquals(patches, grid * grid);
        assertEquals(
                shapes.get("visual.transformer.resblocks.0.mlp.c_fc.weight")[0],
                v.get("intermediate_size").longValue());
        assertEquals(
                countBlocks(shapes, "visual.transformer.resblocks."),
                v.get("num_hidden_layers").longValue());
        assertEquals(config.vision().heads(), v.get("num_attention_heads").intValue());
        assertEquals("quick_gelu", v.get("hidden_act").textValue());
        assertEquals(1e-5, v.get("layer_norm_eps").doubleValue());

        assertEquals("clip_text_model", t.get("model_type").textValue());
        long[] tokens = shapes.get("token_embedding.weight");
        assertEquals(tokens[0], t.get("vocab_size").longValue());
        assertEquals(tokens[1], t.get("hidden_size").longValue());
        assertEquals(
                shapes.get("positional_embedding")[0],
                t.get("max_position_embeddings").longValue());
        assertEquals(
                shapes.get("transformer.resblocks.0.mlp.c_fc.weight")[0],
                t.get("intermediate_size").longValue());
        assertEquals(
                countBlocks(shapes, "transformer.resblocks."),
                t.get("num_hidden_layers").longValue());
        assertEquals(config.text().heads(), t.get("num_attention_heads").intValue());
        assertEquals(tokens[0] - 1, t.get("eos_token_id").longValue());
        assertEquals(tokens[0] - 2, t.get("bos_token_id").longValue());
        assertEquals(0, t.get("pad_token_id").intValue());
    }

    private static long countBlocks(Map<String, long[]> shapes, String prefix) {
        Pattern ln1 = Pattern.compile(Pattern.quote(prefix) + "\\d+\\.ln_1\\.weight");
        return shapes.keySet().stream().filter(n -> ln1.matcher(n).matches()).count();
    }

    @Test
    void tinyConfigJsonMatchesItsShapesAndSaysTheTokenizerIsNotBpe() {
        ClipConfig tiny = ClipConfig.tiny();
        assertConfigMatchesShapes(tiny);
        JsonNode root = HfClipConfig.configJson(tiny);
        assertEquals("word", root.get("eagle_tokenizer").textValue());
        assertTrue(root.get("eagle_note").textValue().contains("not CLIP's BPE"));
        assertEquals(256, root.get("text_config").get("vocab_size").intValue());
        assertEquals(64, root.get("vision_config").get("image_size").intValue());
        assertEquals(2, root.get("vision_config").get("num_attention_heads").intValue());
    }

    @Test
    void viTB16ConfigJsonMatchesItsShapes() {
        ClipConfig config = ClipConfig.preset("ViT-B-16");
        assertConfigMatchesShapes(config);
        JsonNode root = HfClipConfig.configJson(config);
        assertEquals("clip_bpe", root.get("eagle_tokenizer").textValue());
        assertEquals(49407, root.get("text_config").get("eos_token_id").intValue());
        assertEquals(49406, root.get("text_config").get("bos_token_id").intValue());
        assertEquals(224, root.get("vision_config").get("image_size").intValue());
    }

    @Test
    void configJsonReadsBackToTheSameConfig() {
        for (String preset : ClipConfig.PRESETS) {
            ClipConfig config = ClipConfig.preset(preset);
            assertEquals(
                    config, HfClipConfig.fromConfigJson(HfClipConfig.configJson(config), preset));
        }
        ClipConfig odd =
                new ClipConfig(
                        new ClipConfig.VisionConfig(
                                48, 12, 96, 3, 3, 3.5, ClipConfig.Activation.GELU, 1e-6),
                        new ClipConfig.TextConfig(
                                10, 30, 64, 2, 4, 2.0, ClipConfig.Activation.GELU, 1e-6),
                        24);
        JsonNode json = HfClipConfig.configJson(odd);
        assertEquals("gelu", json.get("vision_config").get("hidden_act").textValue());
        assertEquals(336, json.get("vision_config").get("intermediate_size").intValue());
        assertEquals(odd, HfClipConfig.fromConfigJson(json, "odd"));
    }

    @Test
    void absentFieldsTakeTransformersDefaults() throws Exception {
        // transformers' CLIPConfig() is openai/clip-vit-base-patch32
        ClipConfig config =
                HfClipConfig.fromConfigJson(JSON.readTree("{\"model_type\": \"clip\"}"), "minimal");
        assertEquals(
                new ClipConfig(
                        new ClipConfig.VisionConfig(
                                224, 32, 768, 12, 12, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                        new ClipConfig.TextConfig(
                                77, 49408, 512, 12, 8, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                        512),
                config);
    }

    @Test
    void legacyConfigDictsOverrideTheSubConfigs() throws Exception {
        JsonNode json =
                JSON.readTree(
                        "{\"model_type\": \"clip\", \"projection_dim\": 768,"
                                + " \"text_config\": {\"hidden_size\": 512},"
                                + " \"text_config_dict\": {\"hidden_size\": 768, \"intermediate_size\": 3072, \"num_attention_heads\": 12},"
                                + " \"vision_config_dict\": {\"hidden_size\": 1024, \"intermediate_size\": 4096, \"num_hidden_layers\": 24,"
                                + " \"num_attention_heads\": 16, \"patch_size\": 14}}");
        ClipConfig config = HfClipConfig.fromConfigJson(json, "legacy");
        assertEquals(ClipConfig.preset("ViT-L-14"), config);
    }

    @Test
    void unsupportedConfigsAreRefusedWithTheReason() throws Exception {
        ObjectNode gelu = HfClipConfig.configJson(ClipConfig.tiny());
        ((ObjectNode) gelu.get("vision_config")).put("hidden_act", "gelu_new");
        IllegalArgumentException act =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> HfClipConfig.fromConfigJson(gelu, "cfg"));
        assertTrue(act.getMessage().contains("gelu_new"), act.getMessage());

        ObjectNode eos = HfClipConfig.configJson(ClipConfig.tiny());
        ((ObjectNode) eos.get("text_config")).put("eos_token_id", 7);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> HfClipConfig.fromConfigJson(eos, "cfg"));
        assertTrue(e.getMessage().contains("eos_token_id 7"), e.getMessage());
        ((ObjectNode) eos.get("text_config"))
                .put("eos_token_id", 2); // legacy argmax pooling: accepted
        assertEquals(ClipConfig.tiny(), HfClipConfig.fromConfigJson(eos, "cfg"));

        ObjectNode channels = HfClipConfig.configJson(ClipConfig.tiny());
        ((ObjectNode) channels.get("vision_config")).put("num_channels", 1);
        assertThrows(
                IllegalArgumentException.class, () -> HfClipConfig.fromConfigJson(channels, "cfg"));

        IllegalArgumentException bert =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                HfClipConfig.fromConfigJson(
                                        JSON.readTree("{\"model_type\": \"bert\"}"), "cfg"));
        assertTrue(bert.getMessage().contains("'bert'"), bert.getMessage());

        ObjectNode visionOnly = HfClipConfig.visionConfigJson(ClipConfig.tiny().vision(), 128);
        IllegalArgumentException vision =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> HfClipConfig.fromConfigJson(visionOnly, "cfg"));
        assertTrue(vision.getMessage().contains("vision tower alone"), vision.getMessage());
        assertEquals(
                new HfClipConfig.Vision(ClipConfig.tiny().vision(), 128),
                HfClipConfig.visionFromConfigJson(visionOnly, "cfg"));
    }

    @Test
    void preprocessorConfigDescribesClipPreprocessing() {
        JsonNode p = HfClipConfig.preprocessorJson(ClipConfig.preset("ViT-L-14-336").vision());
        assertEquals("CLIPImageProcessor", p.get("image_processor_type").textValue());
        assertEquals(336, p.get("size").get("shortest_edge").intValue());
        assertEquals(336, p.get("crop_size").get("height").intValue());
        assertEquals(336, p.get("crop_size").get("width").intValue());
        assertEquals(3, p.get("resample").intValue());
        assertEquals(1.0, p.get("rescale_factor").doubleValue() * 255, 1e-12);
        for (String flag :
                List.of(
                        "do_resize",
                        "do_center_crop",
                        "do_rescale",
                        "do_normalize",
                        "do_convert_rgb")) {
            assertTrue(p.get(flag).booleanValue(), flag);
        }
        for (int c = 0; c < 3; c++) {
            assertEquals(ImagePreprocessor.MEAN[c], p.get("image_mean").get(c).floatValue());
            assertEquals(ImagePreprocessor.STD[c], p.get("image_std").get(c).floatValue());
        }
    }
}
