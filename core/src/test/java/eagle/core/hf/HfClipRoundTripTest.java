package eagle.core.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.ImageFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our encoder → Hugging Face folder → our encoder, on the {@code tiny} architecture (W = 128). */
class HfClipRoundTripTest {

    private static final ClipConfig CONFIG = ClipConfig.tiny(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    static NDManager manager;
    static ClipModel model;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager(Device.cpu());
        model = ClipModel.create(CONFIG, Device.cpu(), 11);
    }

    @AfterAll
    static void tearDown() {
        model.close();
        manager.close();
    }

    private Path exportModel() throws IOException {
        Path folder = dir.resolve("hf");
        HfClipExport.write(model, folder);
        return folder;
    }

    private static void assertBitEqual(
            Map<String, Safetensors.Tensor> expected, Map<String, Safetensors.Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<String, Safetensors.Tensor> e : expected.entrySet()) {
            Safetensors.Tensor a = actual.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), a.shape(), e.getKey());
            float[] x = e.getValue().values();
            float[] y = a.values();
            assertEquals(x.length, y.length, e.getKey());
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                    throw new AssertionError(e.getKey() + "[" + i + "]: " + x[i] + " != " + y[i]);
                }
            }
        }
    }

    @Test
    void oursToHfToOursIsBitExactForEveryTensor() throws IOException {
        Path ours = dir.resolve("ours.safetensors");
        model.save(ours);
        Path folder = dir.resolve("hf");
        assertEquals(CONFIG, HfClipExport.write(ours, folder));
        Path back = dir.resolve("back.safetensors");
        assertEquals(CONFIG, HfClipImport.convert(folder, back));

        Map<String, Safetensors.Tensor> original = Safetensors.readAll(ours);
        assertEquals(CONFIG.parameterShapes().size(), original.size());
        assertBitEqual(original, Safetensors.readAll(back));
        try (ClipModel reloaded =
                ClipModel.load(back, Device.cpu())) { // the config travels in the metadata
            assertEquals(CONFIG, reloaded.config());
        }
    }

    @Test
    void exportingTheModelEqualsExportingItsFile() throws IOException {
        Path ours = dir.resolve("ours.safetensors");
        model.save(ours);
        HfClipExport.write(ours, dir.resolve("from-file"));
        Path fromModel = exportModel();
        assertBitEqual(
                Safetensors.readAll(dir.resolve("from-file").resolve(HfClipExport.WEIGHTS_FILE)),
                Safetensors.readAll(fromModel.resolve(HfClipExport.WEIGHTS_FILE)));
        assertEquals(
                JSON.readTree(
                        Files.readString(
                                dir.resolve("from-file").resolve(HfClipExport.CONFIG_FILE))),
                JSON.readTree(Files.readString(fromModel.resolve(HfClipExport.CONFIG_FILE))));
    }

    @Test
    void hfTensorsAreSlicesAndTransposesOfOurs() throws IOException {
        Path folder = exportModel();
        Safetensors.Header header =
                Safetensors.readHeader(folder.resolve(HfClipExport.WEIGHTS_FILE));
        assertEquals("pt", header.metadata().get("format"));
        Safetensors.requireShapes("export", HfClipNames.hfShapes(CONFIG), header.shapes());
        assertFalse(header.entries().containsKey(HfClipNames.VISION_POSITION_IDS));
        assertFalse(header.entries().containsKey(HfClipNames.TEXT_POSITION_IDS));

        Map<String, Safetensors.Tensor> hf =
                Safetensors.readAll(folder.resolve(HfClipExport.WEIGHTS_FILE));
        int w = CONFIG.text().width();
        NDArray inProj = model.parameter("transformer.resblocks.1.attn.in_proj_weight"); // (3W, W)
        String[] parts = {"q", "k", "v"};
        for (int j = 0; j < 3; j++) {
            try (NDArray rows =
                    inProj.get(new NDIndex((j * w) + ":" + ((j + 1) * w) + ", :"))) { // (W, W)
                assertArrayEquals(
                        rows.toFloatArray(),
                        hf.get("text_model.encoder.layers.1.self_attn." + parts[j] + "_proj.weight")
                                .values());
            }
        }
        try (NDArray projT = model.parameter("visual.proj").transpose()) { // (D, W)
            assertArrayEquals(projT.toFloatArray(), hf.get("visual_projection.weight").values());
            assertArrayEquals(
                    projT.getShape().getShape(), hf.get("visual_projection.weight").shape());
        }
        assertArrayEquals(
                model.parameter("visual.ln_pre.weight").toFloatArray(),
                hf.get("vision_model.pre_layrnorm.weight").values());
        assertArrayEquals(
                model.parameter("logit_scale").toFloatArray(), hf.get("logit_scale").values());

        JsonNode config = JSON.readTree(Files.readString(folder.resolve(HfClipExport.CONFIG_FILE)));
        assertEquals(
                CONFIG.text().vocabSize(), config.get("text_config").get("vocab_size").intValue());
        assertTrue(Files.isRegularFile(folder.resolve(HfClipExport.PREPROCESSOR_FILE)));
    }

    @Test
    void reimportedEncoderGivesExactlyTheSameFeatures() throws IOException {
        Path folder = exportModel();
        Random random = new Random(5);
        float[] values = new float[2 * 3 * 64 * 64];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        int[][] tokens = {
            {38, 4, 9, 39, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
            {38, 1, 2, 3, 5, 8, 13, 21, 34, 39, 0, 0, 0, 0, 0, 0}
        };
        try (NDManager scope = manager.newSubManager();
                ClipModel imported = HfClipImport.load(folder, Device.cpu())) {
            assertEquals(CONFIG, imported.config());
            NDArray pixels = scope.create(values, new Shape(2, 3, 64, 64));
            ImageFeatures expected = model.encodeImage(pixels);
            ImageFeatures actual = imported.encodeImage(pixels);
            assertArrayEquals(expected.cls().toFloatArray(), actual.cls().toFloatArray());
            assertArrayEquals(expected.patches().toFloatArray(), actual.patches().toFloatArray());
            try (NDArray a = model.encodeText(tokens, scope);
                    NDArray b = imported.encodeText(tokens, scope)) {
                assertArrayEquals(a.toFloatArray(), b.toFloatArray());
            }
        }
    }

    @Test
    void missingTensorIsRefusedWithItsName() throws IOException {
        Path folder = exportModel();
        Path weights = folder.resolve(HfClipExport.WEIGHTS_FILE);
        Map<String, Safetensors.Tensor> hf = new LinkedHashMap<>(Safetensors.readAll(weights));
        hf.remove("vision_model.encoder.layers.2.self_attn.k_proj.bias");
        Safetensors.writeTensors(weights, hf, Map.of("format", "pt"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HfClipImport.read(folder));
        assertTrue(e.getMessage().contains("missing 1"), e.getMessage());
        assertTrue(
                e.getMessage().contains("vision_model.encoder.layers.2.self_attn.k_proj.bias"),
                e.getMessage());
    }

    @Test
    void unknownTensorIsRefusedButPositionIdsAreSkipped() throws IOException {
        Path folder = exportModel();
        Path weights = folder.resolve(HfClipExport.WEIGHTS_FILE);
        Map<String, Safetensors.Tensor> exported = Safetensors.readAll(weights);
        Map<String, Safetensors.Tensor> expected = HfClipImport.read(folder).tensors();

        // older checkpoints hold the position_ids buffers (1, n) = 0..n-1: skipped by name
        Map<String, Safetensors.Tensor> withBuffers = new LinkedHashMap<>(exported);
        withBuffers.put(HfClipNames.VISION_POSITION_IDS, arange(CONFIG.vision().numPatches() + 1));
        withBuffers.put(HfClipNames.TEXT_POSITION_IDS, arange(CONFIG.text().contextLength()));
        Safetensors.writeTensors(weights, withBuffers, Map.of("format", "pt"));
        assertBitEqual(expected, HfClipImport.read(folder).tensors());

        Map<String, Safetensors.Tensor> withExtra = new LinkedHashMap<>(exported);
        withExtra.put(
                "vision_model.encoder.layers.0.self_attn.rotary.weight",
                Safetensors.Tensor.f32(new long[] {2}, new float[] {1, 2}));
        Safetensors.writeTensors(weights, withExtra, Map.of("format", "pt"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HfClipImport.read(folder));
        assertTrue(e.getMessage().contains("extra 1"), e.getMessage());
        assertTrue(
                e.getMessage().contains("vision_model.encoder.layers.0.self_attn.rotary.weight"),
                e.getMessage());
    }

    @Test
    void misshapedTensorIsRefusedWithItsName() throws IOException {
        Path folder = exportModel();
        Path weights = folder.resolve(HfClipExport.WEIGHTS_FILE);
        Map<String, Safetensors.Tensor> hf = new LinkedHashMap<>(Safetensors.readAll(weights));
        Safetensors.Tensor proj = hf.get("visual_projection.weight"); // (D, W) = (128, 128)
        hf.put(
                "visual_projection.weight",
                Safetensors.Tensor.f32(new long[] {64, 256}, proj.values()));
        Safetensors.writeTensors(weights, hf, Map.of("format", "pt"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HfClipImport.read(folder));
        assertTrue(
                e.getMessage().contains("wrong shape 1 [visual_projection.weight"), e.getMessage());
    }

    @Test
    void visionTowerAloneIsReadAsVisionOnly() throws IOException {
        Path whole = exportModel();
        Map<String, Safetensors.Tensor> hf =
                Safetensors.readAll(whole.resolve(HfClipExport.WEIGHTS_FILE));
        Path folder = Files.createDirectories(dir.resolve("vision-only"));
        Map<String, Safetensors.Tensor> vision = new LinkedHashMap<>();
        hf.forEach(
                (name, t) -> {
                    if (name.startsWith("vision_model.")) {
                        vision.put(name, t);
                    }
                });
        Safetensors.writeTensors(
                folder.resolve(HfClipExport.WEIGHTS_FILE), vision, Map.of("format", "pt"));
        var config = HfClipConfig.visionConfigJson(CONFIG.vision(), CONFIG.embedDim());
        config.putArray("architectures").add("CLIPVisionModel");
        Files.writeString(folder.resolve(HfClipExport.CONFIG_FILE), config.toString());

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HfClipImport.read(folder));
        assertTrue(e.getMessage().contains("vision tower alone"), e.getMessage());

        HfClipImport.VisionTower tower = HfClipImport.readVision(folder);
        assertEquals(CONFIG.vision(), tower.config());
        assertFalse(tower.hasProjection());
        Map<String, Safetensors.Tensor> ours = Safetensors.readAll(saved());
        Map<String, Safetensors.Tensor> expected = new LinkedHashMap<>();
        ours.forEach(
                (name, t) -> {
                    if (name.startsWith("visual.") && !name.equals("visual.proj")) {
                        expected.put(name, t);
                    }
                });
        assertBitEqual(expected, tower.tensors());

        // CLIPVisionModelWithProjection: the projection comes along
        vision.put("visual_projection.weight", hf.get("visual_projection.weight"));
        Safetensors.writeTensors(
                folder.resolve(HfClipExport.WEIGHTS_FILE), vision, Map.of("format", "pt"));
        HfClipImport.VisionTower projected = HfClipImport.readVision(folder);
        assertTrue(projected.hasProjection());
        expected.put("visual.proj", ours.get("visual.proj"));
        assertBitEqual(expected, projected.tensors());

        // and the vision tower of a whole CLIPModel folder
        assertBitEqual(expected, HfClipImport.readVision(whole).tensors());
    }

    @Test
    void foldersWithoutReadableWeightsAreRefusedWithTheReason() throws IOException {
        Path folder = exportModel();
        Files.delete(folder.resolve(HfClipExport.WEIGHTS_FILE));
        Files.writeString(folder.resolve("pytorch_model.bin"), "not read");
        IllegalArgumentException bin =
                assertThrows(IllegalArgumentException.class, () -> HfClipImport.read(folder));
        assertTrue(bin.getMessage().contains("safe_serialization=True"), bin.getMessage());
        IllegalArgumentException none =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> HfClipImport.read(dir.resolve("nowhere")));
        assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
    }

    private Path saved() throws IOException {
        Path ours = dir.resolve("saved.safetensors");
        if (!Files.exists(ours)) {
            model.save(ours);
        }
        return ours;
    }

    private static Safetensors.Tensor arange(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return Safetensors.Tensor.f32(new long[] {1, n}, values);
    }
}
