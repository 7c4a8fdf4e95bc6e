package eagle.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.optim.GaloreAdamW;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One EAGLE step (masked pooling, the dual loss, GaLore-AdamW) on the small EVA01-CLIP preset. */
class EvaTrainingStepTest {

    @Test
    void oneGaloreStepUpdatesExactlyTheEvaBlockMatricesAndTheLogitScale() {
        ClipConfig config = ClipConfig.evaTiny(40);
        List<TrainingSample> batch = EagleTrainerTest.samples(config, 4, 21);
        TrainingConfig training =
                EagleTrainerTest.smallConfig(TrainingConfig.GALORE).withRetentionLambda(0.5f);
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 9);
                ClipModel base = model.copy();
                EagleTrainer trainer =
                        new EagleTrainer(model, base, training, EagleTrainerTest.prompts(config))) {
            Map<String, float[]> before = new LinkedHashMap<>();
            model.parameters().forEach((name, array) -> before.put(name, array.toFloatArray()));

            StepLosses losses = trainer.step(batch);

            assertTrue(
                    Double.isFinite(losses.total()) && losses.total() > 0,
                    "total " + losses.total());
            assertTrue(losses.retention() >= 0);
            GaloreAdamW galore = (GaloreAdamW) trainer.optimizer();
            for (String matrix :
                    List.of(
                            "attn.qkv.weight",
                            "attn.proj.weight",
                            "mlp.fc1.weight",
                            "mlp.fc2.weight")) {
                for (int block = 0; block < 2; block++) {
                    String name = "visual.blocks." + block + "." + matrix;
                    assertFalse(
                            Arrays.equals(before.get(name), model.parameter(name).toFloatArray()),
                            name + " moved");
                    assertNotNull(galore.projector(name), name + " is projected by GaLore");
                }
            }
            assertFalse(
                    Arrays.equals(
                            before.get("logit_scale"),
                            model.parameter("logit_scale").toFloatArray()));
            for (String frozen :
                    List.of(
                            "visual.patch_embed.proj.weight",
                            "visual.patch_embed.proj.bias",
                            "visual.cls_token",
                            "visual.pos_embed",
                            "visual.blocks.0.attn.q_bias",
                            "visual.blocks.1.attn.v_bias",
                            "visual.blocks.0.norm1.weight",
                            "visual.norm.weight",
                            "visual.head.weight",
                            "visual.head.bias")) {
                assertArrayEquals(
                        before.get(frozen),
                        model.parameter(frozen).toFloatArray(),
                        frozen + " stays frozen");
            }
            assertEquals(1, trainer.optimizer().stepCount());
        }
    }
}
