package eagle.core.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenCLIP hub folders and Hugging Face vision-only folders, read into our files (core/EVA.md). */
class OpenClipAndVisionOnlyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * vision 32 px / patch 8, W 64 (head width 32 → 2 heads), 2 layers; text L 8, V 30, W 64, 1
     * layer; D 16.
     */
    private static ClipConfig config(ClipConfig.Activation activation) {
        return new ClipConfig(
                new ClipConfig.VisionConfig(32, 8, 64, 2, 2, 4.0, activation, 1e-5),
                new ClipConfig.TextConfig(8, 30, 64, 1, 4, 4.0, activation, 1e-5),
                16);
    }

    @TempDir Path dir;

    private Path openClipFolder(
            String name,
            boolean quickGelu,
            Map<String, Safetensors.Tensor> tensors,
            java.util.function.Consumer<ObjectNode> edit)
            throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        ObjectNode root = JSON.createObjectNode();
        ObjectNode model = root.putObject("model_cfg");
        model.put("embed_dim", 16);
        if (quickGelu) {
            model.put("quick_gelu", true);
        }
        ObjectNode vision = model.putObject("vision_cfg");
        vision.put("image_size", 32)
                .put("patch_size", 8)
                .put("width", 64)
                .put("layers", 2)
                .put("head_width", 32);
        ObjectNode text = model.putObject("text_cfg");
        text.put("context_length", 8)
                .put("vocab_size", 30)
                .put("width", 64)
                .put("heads", 4)
                .put("layers", 1);
        ObjectNode preprocess = root.putObject("preprocess_cfg");
        preprocess.putArray("mean").add(0.48145466).add(0.4578275).add(0.40821073);
        preprocess.putArray("std").add(0.26862954).add(0.26130258).add(0.27577711);
        edit.accept(root);
        Files.writeString(
                folder.resolve(OpenClipCheckpoint.CONFIG_FILE), JSON.writeValueAsString(root));
        Map<String, Safetensors.Tensor> withMask = new LinkedHashMap<>(tensors);
        withMask.put(
                OpenClipCheckpoint.ATTN_MASK,
                Safetensors.Tensor.f32(new long[] {8, 8}, new float[64]));
        Safetensors.writeTensors(
                folder.resolve(OpenClipCheckpoint.WEIGHTS_FILE), withMask, Map.of("format", "pt"));
        return folder;
    }

    @Test
    void openClipFoldersReadWithTheConfigsActivationAndSizes() throws IOException {
        Map<String, Safetensors.Tensor> tensors =
                EvaLayoutsTest.random(config(ClipConfig.Activation.GELU), 1);
        Path gelu = openClipFolder("gelu", false, tensors, root -> {});
        Path ours = dir.resolve("ours.safetensors");
        assertEquals(config(ClipConfig.Activation.GELU), OpenClipCheckpoint.convert(gelu, ours));
        Map<String, Safetensors.Tensor> read = Safetensors.readAll(ours);
        assertEquals(tensors.keySet(), read.keySet()); // attn_mask skipped
        tensors.forEach((name, t) -> assertArrayEquals(t.values(), read.get(name).values(), name));
        assertEquals(config(ClipConfig.Activation.GELU), OpenAiClipFile.configOf(ours));

        Path quick = openClipFolder("quick", true, tensors, root -> {});
        assertEquals(
                config(ClipConfig.Activation.QUICK_GELU), OpenClipCheckpoint.readConfig(quick));
    }

    @Test
    void openClipConfigsOurModelCannotExpressAreRefusedByName() throws IOException {
        Map<String, Safetensors.Tensor> tensors =
                EvaLayoutsTest.random(config(ClipConfig.Activation.GELU), 2);
        Path timm =
                openClipFolder(
                        "timm",
                        false,
                        tensors,
                        root ->
                                ((ObjectNode) root.path("model_cfg").path("vision_cfg"))
                                        .put("timm_model_name", "eva_giant_patch14_224"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> OpenClipCheckpoint.readConfig(timm));
        assertTrue(
                e.getMessage().contains("timm_model_name") && e.getMessage().contains("--from eva"),
                e.getMessage());

        Path scaled =
                openClipFolder(
                        "ls",
                        false,
                        tensors,
                        root ->
                                ((ObjectNode) root.path("model_cfg").path("vision_cfg"))
                                        .put("ls_init_value", 1e-5));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> OpenClipCheckpoint.readConfig(scaled))
                        .getMessage()
                        .contains("vision_cfg.ls_init_value"));

        Path mean =
                openClipFolder(
                        "mean",
                        false,
                        tensors,
                        root ->
                                ((ObjectNode) root.path("preprocess_cfg"))
                                        .putArray("mean")
                                        .add(0.5)
                                        .add(0.5)
                                        .add(0.5));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> OpenClipCheckpoint.readConfig(mean))
                        .getMessage()
                        .contains("preprocess_cfg.mean"));

        Map<String, Safetensors.Tensor> missing = new LinkedHashMap<>(tensors);
        missing.remove("visual.ln_pre.weight");
        Path incomplete = openClipFolder("incomplete", false, missing, root -> {});
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> OpenClipCheckpoint.read(incomplete))
                        .getMessage()
                        .contains("visual.ln_pre.weight"));
    }

    @Test
    void aVisionOnlyFolderTakesTheTextTowerFromTheBase() throws IOException {
        ClipConfig config = config(ClipConfig.Activation.QUICK_GELU);
        Path source = dir.resolve("source.safetensors");
        OpenAiClipFile.write(source, config, EvaLayoutsTest.random(config, 3));
        Path full = dir.resolve("hf-full");
        HfClipExport.write(source, config, full);
        // a CLIPVisionModel folder: vision_model.* only, no projection, model_type
        // clip_vision_model
        Path vision = Files.createDirectories(dir.resolve("hf-vision"));
        Files.writeString(
                vision.resolve(HfClipExport.CONFIG_FILE),
                JSON.writeValueAsString(
                        HfClipConfig.visionConfigJson(config.vision(), config.embedDim())));
        Map<String, Safetensors.Tensor> visionTensors = new LinkedHashMap<>();
        Safetensors.readAll(full.resolve(HfClipExport.WEIGHTS_FILE))
                .forEach(
                        (name, t) -> {
                            if (name.startsWith("vision_model.")) {
                                visionTensors.put(name, t);
                            }
                        });
        Safetensors.writeTensors(
                vision.resolve(HfClipExport.WEIGHTS_FILE), visionTensors, Map.of("format", "pt"));

        Path base = dir.resolve("base.safetensors");
        OpenAiClipFile.write(base, config, EvaLayoutsTest.random(config, 4));
        Path ours = dir.resolve("ours.safetensors");
        assertEquals(config, HfVisionOnlyImport.combine(vision, base, ours));
        Map<String, Safetensors.Tensor> sourceTensors = Safetensors.readAll(source);
        Map<String, Safetensors.Tensor> baseTensors = Safetensors.readAll(base);
        Safetensors.readAll(ours)
                .forEach(
                        (name, t) -> {
                            boolean fromFolder =
                                    name.startsWith("visual.") && !name.equals("visual.proj");
                            assertArrayEquals(
                                    (fromFolder ? sourceTensors : baseTensors).get(name).values(),
                                    t.values(),
                                    name);
                        });

        Path evaBase = dir.resolve("eva-base.safetensors");
        OpenAiClipFile.write(
                evaBase, ClipConfig.evaTiny(30), EvaLayoutsTest.random(ClipConfig.evaTiny(30), 5));
        assertThrows(
                IllegalArgumentException.class,
                () -> HfVisionOnlyImport.combine(vision, evaBase, dir.resolve("x.safetensors")));
    }
}
