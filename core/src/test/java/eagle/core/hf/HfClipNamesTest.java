package eagle.core.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HfClipNamesTest {

    @Test
    void inProjWeightSplitsIntoQueryKeyValueRowBlocks() {
        // (3W, W) with W = 2 and value 10·row + col, so each row block is recognisable
        float[] inProj = {0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 50, 51};
        HfClipNames.Rule rule =
                HfClipNames.rule("visual.transformer.resblocks.3.attn.in_proj_weight");
        assertEquals(HfClipNames.Kind.SPLIT_QKV, rule.kind());
        assertEquals(
                List.of(
                        "vision_model.encoder.layers.3.self_attn.q_proj.weight",
                        "vision_model.encoder.layers.3.self_attn.k_proj.weight",
                        "vision_model.encoder.layers.3.self_attn.v_proj.weight"),
                rule.hf());

        Map<String, Safetensors.Tensor> hf = HfClipNames.toHf(rule, new long[] {6, 2}, inProj);
        Safetensors.Tensor q = hf.get("vision_model.encoder.layers.3.self_attn.q_proj.weight");
        Safetensors.Tensor k = hf.get("vision_model.encoder.layers.3.self_attn.k_proj.weight");
        Safetensors.Tensor v = hf.get("vision_model.encoder.layers.3.self_attn.v_proj.weight");
        assertArrayEquals(new long[] {2, 2}, q.shape());
        assertArrayEquals(new float[] {0, 1, 10, 11}, q.values());
        assertArrayEquals(new float[] {20, 21, 30, 31}, k.values());
        assertArrayEquals(new float[] {40, 41, 50, 51}, v.values());

        // back, from the parts in another order
        Safetensors.Tensor back =
                HfClipNames.toOurs(
                        rule,
                        Map.of(rule.hf().get(2), v, rule.hf().get(0), q, rule.hf().get(1), k));
        assertArrayEquals(new long[] {6, 2}, back.shape());
        assertArrayEquals(inProj, back.values());
    }

    @Test
    void inProjBiasSplitsIntoThreeVectors() {
        HfClipNames.Rule rule = HfClipNames.rule("transformer.resblocks.0.attn.in_proj_bias");
        Map<String, Safetensors.Tensor> hf =
                HfClipNames.toHf(rule, new long[] {6}, new float[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(
                new float[] {1, 2},
                hf.get("text_model.encoder.layers.0.self_attn.q_proj.bias").values());
        assertArrayEquals(
                new float[] {3, 4},
                hf.get("text_model.encoder.layers.0.self_attn.k_proj.bias").values());
        assertArrayEquals(
                new float[] {5, 6},
                hf.get("text_model.encoder.layers.0.self_attn.v_proj.bias").values());
        assertArrayEquals(
                new long[] {2},
                hf.get("text_model.encoder.layers.0.self_attn.v_proj.bias").shape());
    }

    @Test
    void projectionsAreTransposed() {
        // visual.proj (W = 2, D = 3) = [[1, 2, 3], [4, 5, 6]]; nn.Linear stores (D, W) = [[1, 4],
        // [2, 5], [3, 6]]
        HfClipNames.Rule rule = HfClipNames.rule("visual.proj");
        assertEquals(List.of("visual_projection.weight"), rule.hf());
        Safetensors.Tensor hf =
                HfClipNames.toHf(rule, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                        .get("visual_projection.weight");
        assertArrayEquals(new long[] {3, 2}, hf.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, hf.values());
        Safetensors.Tensor back = HfClipNames.toOurs(rule, Map.of("visual_projection.weight", hf));
        assertArrayEquals(new long[] {2, 3}, back.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, back.values());
        assertEquals(HfClipNames.Kind.TRANSPOSE, HfClipNames.rule("text_projection").kind());
        assertEquals(List.of("text_projection.weight"), HfClipNames.rule("text_projection").hf());
    }

    @Test
    void viTB16HfShapesFollowModelingClip() {
        ClipConfig config = ClipConfig.preset("ViT-B-16");
        Map<String, long[]> hf = HfClipNames.hfShapes(config);
        int blocks = config.vision().layers() + config.text().layers();
        // in_proj_weight and in_proj_bias each become three tensors: +4 names per block
        assertEquals(config.parameterShapes().size() + 4 * blocks, hf.size());
        assertArrayEquals(
                new long[] {768, 3, 16, 16},
                hf.get("vision_model.embeddings.patch_embedding.weight"));
        assertArrayEquals(new long[] {768}, hf.get("vision_model.embeddings.class_embedding"));
        assertArrayEquals(
                new long[] {197, 768}, hf.get("vision_model.embeddings.position_embedding.weight"));
        assertArrayEquals(new long[] {768}, hf.get("vision_model.pre_layrnorm.weight"));
        assertArrayEquals(
                new long[] {768, 768},
                hf.get("vision_model.encoder.layers.11.self_attn.q_proj.weight"));
        assertArrayEquals(
                new long[] {768}, hf.get("vision_model.encoder.layers.11.self_attn.v_proj.bias"));
        assertArrayEquals(
                new long[] {768, 768},
                hf.get("vision_model.encoder.layers.0.self_attn.out_proj.weight"));
        assertArrayEquals(
                new long[] {768}, hf.get("vision_model.encoder.layers.0.layer_norm1.bias"));
        assertArrayEquals(
                new long[] {3072, 768}, hf.get("vision_model.encoder.layers.0.mlp.fc1.weight"));
        assertArrayEquals(
                new long[] {768, 3072}, hf.get("vision_model.encoder.layers.0.mlp.fc2.weight"));
        assertArrayEquals(new long[] {768}, hf.get("vision_model.post_layernorm.bias"));
        assertArrayEquals(new long[] {512, 768}, hf.get("visual_projection.weight"));
        assertArrayEquals(
                new long[] {49408, 512}, hf.get("text_model.embeddings.token_embedding.weight"));
        assertArrayEquals(
                new long[] {77, 512}, hf.get("text_model.embeddings.position_embedding.weight"));
        assertArrayEquals(
                new long[] {512}, hf.get("text_model.encoder.layers.11.layer_norm2.weight"));
        assertArrayEquals(new long[] {512}, hf.get("text_model.final_layer_norm.weight"));
        assertArrayEquals(new long[] {512, 512}, hf.get("text_projection.weight"));
        assertArrayEquals(new long[] {}, hf.get("logit_scale"));
        for (String name : hf.keySet()) {
            assertFalse(
                    name.contains("resblocks") || name.contains("in_proj") || name.contains("ln_"),
                    name);
            assertFalse(HfClipNames.IGNORED_BUFFERS.contains(name), name);
        }
    }

    @Test
    void everyNameOfEveryPresetMapsToDistinctHfNames() {
        for (String preset : ClipConfig.PRESETS) {
            ClipConfig config = ClipConfig.preset(preset);
            Set<String> seen = new HashSet<>();
            for (HfClipNames.Rule rule : HfClipNames.rules(config)) {
                for (String hf : rule.hf()) {
                    assertTrue(seen.add(hf), preset + ": " + hf + " is produced twice");
                }
            }
            assertEquals(HfClipNames.hfShapes(config).keySet(), seen);
        }
    }

    @Test
    void unknownNamesAreRefused() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> HfClipNames.rule("visual.transformer.resblocks.0.attn.rotary"));
        assertTrue(
                e.getMessage().contains("visual.transformer.resblocks.0.attn.rotary"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HfClipNames.rule("visual.conv2.weight"));
    }

    @Test
    void mismatchedQkvPartsAreRefused() {
        HfClipNames.Rule rule = HfClipNames.rule("transformer.resblocks.0.attn.in_proj_bias");
        Safetensors.Tensor two = Safetensors.Tensor.f32(new long[] {2}, new float[] {1, 2});
        Safetensors.Tensor three = Safetensors.Tensor.f32(new long[] {3}, new float[] {1, 2, 3});
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        HfClipNames.toOurs(
                                rule,
                                Map.of(
                                        rule.hf().get(0),
                                        two,
                                        rule.hf().get(1),
                                        two,
                                        rule.hf().get(2),
                                        three)));
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                HfClipNames.toOurs(
                                        rule,
                                        Map.of(rule.hf().get(0), two, rule.hf().get(1), two)));
        assertTrue(missing.getMessage().contains(rule.hf().get(2)), missing.getMessage());
    }
}
