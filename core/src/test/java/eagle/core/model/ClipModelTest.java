package eagle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import eagle.core.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipModelTest {

    /**
     * 16 px images in 4 px patches (P = 16), W = 32 with 2 heads, text L = 8 over V = 20, D = 16.
     */
    static final ClipConfig SMALL =
            new ClipConfig(
                    new ClipConfig.VisionConfig(
                            16, 4, 32, 2, 2, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                    new ClipConfig.TextConfig(
                            8, 20, 32, 2, 2, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                    16);

    static final int[][] TOKENS = {
        {18, 3, 4, 5, 19, 0, 0, 0},
        {18, 7, 19, 0, 0, 0, 0, 0},
        {18, 1, 2, 3, 4, 5, 6, 19}
    };

    static NDManager manager;
    static ClipModel model;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager(Device.cpu());
        model = ClipModel.create(SMALL, Device.cpu(), 42);
    }

    @AfterAll
    static void tearDown() {
        model.close();
        manager.close();
    }

    static NDArray pixels(NDManager m, int batch, int size, long seed) {
        Random random = new Random(seed);
        float[] values = new float[batch * 3 * size * size];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return m.create(values, new Shape(batch, 3, size, size));
    }

    @Test
    void tinyForwardHasDocumentedShapes() {
        try (ClipModel tiny = ClipModel.create(ClipConfig.tiny(40), Device.cpu(), 1);
                NDScope scope = new NDScope()) {
            ImageFeatures features = tiny.encodeImage(pixels(manager, 2, 64, 1));
            assertEquals(new Shape(2, 128), features.cls().getShape());
            assertEquals(new Shape(2, 64, 128), features.patches().getShape());
            int[][] tokens = new int[3][16];
            for (int[] row : tokens) {
                row[0] = 38;
                row[1] = 5;
                row[2] = 39;
            }
            assertEquals(new Shape(3, 128), tiny.encodeText(tokens).getShape());
        }
    }

    @Test
    void patchEmbeddingIsTheStridedConvolutionPlusPositions() {
        try (NDScope scope = new NDScope()) {
            NDArray pixels = pixels(manager, 2, 16, 3);
            float[] embedded = model.visual().embed(pixels).toFloatArray(); // (2, 17, 32)
            float[] px = pixels.toFloatArray();
            float[] kernel = model.parameter("visual.conv1.weight").toFloatArray(); // (32, 3, 4, 4)
            float[] pos = model.parameter("visual.positional_embedding").toFloatArray(); // (17, 32)
            float[] cls = model.parameter("visual.class_embedding").toFloatArray();
            int b = 1;
            int gy = 2;
            int gx = 1;
            int token = 1 + gy * 4 + gx;
            for (int w = 0; w < 32; w++) {
                double expected = pos[token * 32 + w];
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < 4; i++) {
                        for (int j = 0; j < 4; j++) {
                            expected +=
                                    kernel[((w * 3 + c) * 4 + i) * 4 + j]
                                            * px[((b * 3 + c) * 16 + gy * 4 + i) * 16 + gx * 4 + j];
                        }
                    }
                }
                assertEquals(expected, embedded[(b * 17 + token) * 32 + w], 1e-5, "channel " + w);
                assertEquals(cls[w] + pos[w], embedded[(b * 17) * 32 + w], 1e-6);
            }
        }
    }

    @Test
    void clsAndPatchFeaturesApplyTheSameHeadToEveryToken() {
        try (NDScope scope = new NDScope()) {
            NDArray pixels = pixels(manager, 2, 16, 4);
            ImageFeatures features = model.encodeImage(pixels);
            float[] tokens = model.visual().tokens(pixels).toFloatArray(); // (2, 17, 32)
            float[] gamma = model.parameter("visual.ln_post.weight").toFloatArray();
            float[] beta = model.parameter("visual.ln_post.bias").toFloatArray();
            float[] proj = model.parameter("visual.proj").toFloatArray(); // (32, 16)
            float[] patches = features.patches().toFloatArray(); // (2, 16, 16)
            float[] cls = features.cls().toFloatArray(); // (2, 16)
            for (int b = 0; b < 2; b++) {
                double[] head0 = head(tokens, (b * 17) * 32, gamma, beta, proj);
                double[] head7 = head(tokens, (b * 17 + 8) * 32, gamma, beta, proj);
                for (int d = 0; d < 16; d++) {
                    assertEquals(head0[d], cls[b * 16 + d], 1e-4, "cls " + b + "," + d);
                    assertEquals(
                            head7[d],
                            patches[(b * 16 + 7) * 16 + d],
                            1e-4,
                            "patch 7 of " + b + "," + d);
                }
            }
        }
    }

    /** {@code ln_post(x) · proj} of the 32 values at {@code offset}, in double precision. */
    private static double[] head(float[] x, int offset, float[] gamma, float[] beta, float[] proj) {
        double mean = 0;
        for (int w = 0; w < 32; w++) {
            mean += x[offset + w] / 32.0;
        }
        double variance = 0;
        for (int w = 0; w < 32; w++) {
            variance += (x[offset + w] - mean) * (x[offset + w] - mean) / 32.0;
        }
        double[] out = new double[16];
        for (int w = 0; w < 32; w++) {
            double normed =
                    (x[offset + w] - mean) / Math.sqrt(variance + 1e-5) * gamma[w] + beta[w];
            for (int d = 0; d < 16; d++) {
                out[d] += normed * proj[w * 16 + d];
            }
        }
        return out;
    }

    @Test
    void textAttentionIsCausal() {
        try (NDScope scope = new NDScope()) {
            int[][] changed = {TOKENS[2].clone()};
            changed[0][4] = 11;
            float[] before =
                    model.text().hidden(new int[][] {TOKENS[2]}).toFloatArray(); // (1, 8, 32)
            float[] after = model.text().hidden(changed).toFloatArray();
            for (int t = 0; t < 8; t++) {
                double difference = 0;
                for (int w = 0; w < 32; w++) {
                    difference =
                            Math.max(difference, Math.abs(before[t * 32 + w] - after[t * 32 + w]));
                }
                if (t < 4) {
                    assertEquals(
                            0.0, difference, 1e-6, "position " + t + " must not see position 4");
                } else {
                    assertTrue(difference > 1e-3, "position " + t + " sees position 4");
                }
            }
            // padding after the end-of-text token cannot change the feature taken there
            int[][] padded = {TOKENS[1].clone()};
            padded[0][5] = 9;
            assertArrayEquals(
                    model.encodeText(new int[][] {TOKENS[1]}).toFloatArray(),
                    model.encodeText(padded).toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void shorterSequencesUseTheFirstPositionsOnly() {
        try (NDScope scope = new NDScope()) {
            int[][] shortRows = {
                java.util.Arrays.copyOf(TOKENS[0], 5), java.util.Arrays.copyOf(TOKENS[1], 5)
            };
            assertArrayEquals(
                    model.encodeText(new int[][] {TOKENS[0], TOKENS[1]}).toFloatArray(),
                    model.encodeText(shortRows).toFloatArray(),
                    1e-5f);
        }
    }

    @Test
    void textFeatureIsTakenAtTheEndOfTextToken() {
        try (NDScope scope = new NDScope()) {
            float[] hidden = model.text().hidden(TOKENS).toFloatArray(); // (3, 8, 32)
            assertFeaturesAreTheProjectedHiddenStates(TOKENS, hidden, new int[] {4, 2, 7});
        }
    }

    @Test
    void textFeaturesOfRowsEndingEarlyMatchTheFullLengthHiddenStates() {
        // every end-of-text token before position 5 of 8: the tower runs on the first 5 positions
        int[][] tokens = {TOKENS[0], TOKENS[1], {18, 9, 10, 11, 19, 0, 0, 0}};
        int[] eot = {4, 2, 4};
        assertEquals(5, TextTransformer.throughLastEndOfText(tokens)[0].length);
        try (NDScope scope = new NDScope()) {
            float[] hidden = model.text().hidden(tokens).toFloatArray(); // (3, 8, 32), all 8
            assertFeaturesAreTheProjectedHiddenStates(tokens, hidden, eot);
        }
        // ids are still checked in the positions the tower no longer runs on
        int[][] badPadding = {{18, 7, 19, 0, 0, 0, 0, 20}};
        assertThrows(IllegalArgumentException.class, () -> model.encodeText(badPadding));
    }

    @Test
    void gradientsMatchCentralFiniteDifferencesInFloat64() {
        ClipConfig gelu =
                new ClipConfig(
                        new ClipConfig.VisionConfig(
                                8, 4, 16, 1, 2, 2.0, ClipConfig.Activation.GELU, 1e-5),
                        new ClipConfig.TextConfig(
                                6, 12, 16, 1, 2, 2.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                        8);
        int[][] tokens = {{10, 3, 4, 11, 0, 0}, {10, 5, 11, 0, 0, 0}};
        String[] names = {
            "visual.transformer.resblocks.0.attn.in_proj_weight",
            "visual.conv1.weight",
            "visual.positional_embedding",
            "transformer.resblocks.0.mlp.c_fc.weight",
            "transformer.resblocks.0.attn.in_proj_weight",
            "token_embedding.weight",
            "ln_final.weight"
        };
        long[][] entries = {{20, 3}, {5, 1, 2, 3}, {2, 7}, {9, 4}, {3, 15}, {4, 2}, {6}};
        try (ClipModel m = ClipModel.create(gelu, Device.cpu(), 5, DataType.FLOAT64);
                NDManager local = NDManager.newBaseManager()) {
            NDArray pixels = pixels(local, 2, 8, 9).toType(DataType.FLOAT64, false);
            NDArray r1 = local.randomNormal(new Shape(2, 8)).toType(DataType.FLOAT64, false);
            NDArray r2 = local.randomNormal(new Shape(2, 4, 8)).toType(DataType.FLOAT64, false);
            NDArray r3 = local.randomNormal(new Shape(2, 8)).toType(DataType.FLOAT64, false);
            m.setTrainable(name -> true);
            java.util.function.Supplier<NDArray> objective =
                    () -> {
                        ImageFeatures f = m.encodeImage(pixels);
                        return f.cls()
                                .mul(r1)
                                .sum()
                                .add(f.patches().mul(r2).sum())
                                .add(m.encodeText(tokens).mul(r3).sum());
                    };
            assertGradientsMatchFiniteDifferences(m, names, entries, objective, 1e-4);
        }
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        try (ClipModel m = ClipModel.create(SMALL, Device.cpu(), 9);
                NDManager local = NDManager.newBaseManager()) {
            m.setTrainable(ClipModel::isGaloreTarget);
            NDArray pixels = pixels(local, 1, 16, 2);
            String name = "visual.transformer.resblocks.1.mlp.c_fc.weight";
            float[][] gradients = new float[3][];
            for (int pass = 0; pass < 3; pass++) {
                if (pass == 2) {
                    m.zeroGradients();
                }
                try (NDScope scope = new NDScope();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(m.encodeImage(pixels).cls().sum());
                    gradients[pass] = m.parameter(name).getGradient().toFloatArray();
                }
            }
            for (int i = 0; i < gradients[0].length; i += 97) {
                assertEquals(
                        2 * gradients[0][i],
                        gradients[1][i],
                        1e-5 + 1e-4 * Math.abs(gradients[0][i]));
                assertEquals(
                        gradients[0][i], gradients[2][i], 1e-5 + 1e-4 * Math.abs(gradients[0][i]));
            }
            assertTrue(
                    java.util.Arrays.stream(new double[] {gradients[0][0], gradients[0][5]})
                            .anyMatch(g -> g != 0));
        }
    }

    @Test
    void saveAndLoadReproduceOutputs() throws IOException {
        Path file = dir.resolve("model.safetensors");
        model.save(file, Map.of("run", "test"));
        assertTrue(Safetensors.readHeader(file).metadata().get("run").equals("test"));
        try (ClipModel loaded = ClipModel.load(file, Device.cpu());
                ClipModel other = ClipModel.create(SMALL, Device.cpu(), 43);
                NDScope scope = new NDScope()) {
            assertEquals(SMALL, loaded.config());
            NDArray pixels = pixels(manager, 2, 16, 5);
            float[] expectedCls = model.encodeImage(pixels).cls().toFloatArray();
            float[] expectedPatches = model.encodeImage(pixels).patches().toFloatArray();
            float[] expectedText = model.encodeText(TOKENS).toFloatArray();
            assertArrayEquals(expectedCls, loaded.encodeImage(pixels).cls().toFloatArray());
            assertArrayEquals(expectedPatches, loaded.encodeImage(pixels).patches().toFloatArray());
            assertArrayEquals(expectedText, loaded.encodeText(TOKENS).toFloatArray());

            NDArray before = other.parameter("visual.proj");
            assertFalse(
                    java.util.Arrays.equals(
                            expectedCls, other.encodeImage(pixels).cls().toFloatArray()));
            other.setTrainable(name -> true);
            other.load(file);
            assertTrue(before == other.parameter("visual.proj"), "loaded in place");
            assertTrue(
                    other.parameter("visual.proj").hasGradient(),
                    "still trainable after an in-place load");
            assertArrayEquals(expectedCls, other.encodeImage(pixels).cls().toFloatArray());
            assertArrayEquals(expectedText, other.encodeText(TOKENS).toFloatArray());

            Path trainable = dir.resolve("trainable.safetensors");
            other.save(trainable);
            try (ClipModel again = ClipModel.load(trainable, SMALL, Device.cpu())) {
                assertArrayEquals(
                        other.parameter("visual.proj").toFloatArray(),
                        again.parameter("visual.proj").toFloatArray());
            }
        }
    }

    @Test
    void loadingAMismatchedFileNamesEveryProblemAtOnce() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        try (NDManager local = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>(model.parameters());
            tensors.remove("visual.ln_pre.bias");
            tensors.put("visual.conv1.bias", local.zeros(new Shape(32)));
            tensors.put("visual.proj", local.zeros(new Shape(16, 32)));
            Safetensors.write(file, tensors, Map.of());
        }
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ClipModel.load(file, SMALL, Device.cpu()));
        String message = e.getMessage();
        assertTrue(message.contains("missing 1 [visual.ln_pre.bias [32]]"), message);
        assertTrue(message.contains("extra 1 [visual.conv1.bias [32]]"), message);
        assertTrue(message.contains("visual.proj expected [32, 16] found [16, 32]"), message);
        assertThrows(IllegalArgumentException.class, () -> model.load(file));
    }

    @Test
    void initialisationIsDeterministicAndFollowsClipScales() {
        try (ClipModel a = ClipModel.create(ClipConfig.tiny(100), Device.cpu(), 7);
                ClipModel b = ClipModel.create(ClipConfig.tiny(100), Device.cpu(), 7);
                ClipModel c = ClipModel.create(ClipConfig.tiny(120), Device.cpu(), 7);
                ClipModel d = ClipModel.create(ClipConfig.tiny(100), Device.cpu(), 8)) {
            for (String name : a.parameters().keySet()) {
                assertArrayEquals(
                        a.parameter(name).toFloatArray(), b.parameter(name).toFloatArray(), name);
            }
            String inProj = "visual.transformer.resblocks.1.attn.in_proj_weight";
            assertArrayEquals(
                    a.parameter(inProj).toFloatArray(),
                    c.parameter(inProj).toFloatArray(),
                    "tensors draw from per-name generators");
            assertFalse(
                    java.util.Arrays.equals(
                            a.parameter(inProj).toFloatArray(),
                            d.parameter(inProj).toFloatArray()));

            assertEquals(
                    Math.pow(128, -0.5),
                    std(a.parameter(inProj).toFloatArray()),
                    0.02 * Math.pow(128, -0.5));
            double proj = Math.pow(128, -0.5) / Math.sqrt(2 * 3);
            assertEquals(
                    proj,
                    std(a.parameter("transformer.resblocks.0.mlp.c_proj.weight").toFloatArray()),
                    0.03 * proj);
            assertEquals(
                    Math.pow(256, -0.5),
                    std(a.parameter("transformer.resblocks.2.mlp.c_fc.weight").toFloatArray()),
                    0.02 * Math.pow(256, -0.5));
            assertEquals(0.02, std(a.parameter("token_embedding.weight").toFloatArray()), 0.002);
            assertEquals(Math.log(1 / 0.07), a.logitScale().getFloat(), 1e-6);
            assertEquals(new Shape(), a.logitScale().getShape());
            assertArrayEquals(new float[128], a.parameter("visual.ln_post.bias").toFloatArray());
            assertEquals(128f, a.parameter("ln_final.weight").sum().getFloat());
        }
    }

    private static double std(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v / (double) values.length;
        }
        double variance = 0;
        for (float v : values) {
            variance += (v - mean) * (v - mean) / values.length;
        }
        return Math.sqrt(variance);
    }

    @Test
    void copyIsFrozenAndIndependent() {
        try (ClipModel source = ClipModel.create(SMALL, Device.cpu(), 3)) {
            source.setTrainable(ClipModel::isGaloreTarget);
            assertEquals(4 * (2 + 2), source.trainableParameters().size());
            try (ClipModel frozen = source.copy();
                    ClipModel wide = source.copy(DataType.FLOAT64)) {
                assertTrue(frozen.trainableParameters().isEmpty());
                assertEquals(DataType.FLOAT64, wide.parameter("visual.proj").getDataType());
                float[] before = frozen.parameter("visual.proj").toFloatArray();
                assertArrayEquals(before, source.parameter("visual.proj").toFloatArray());
                source.parameter("visual.proj").addi(1f);
                assertArrayEquals(before, frozen.parameter("visual.proj").toFloatArray());
                assertNotEquals(before[0], source.parameter("visual.proj").toFloatArray()[0]);
            }
        }
    }

    @Test
    void forwardPassesLeaveNothingBehindInsideAScope() {
        NDManager modelManager = model.logitScale().getManager();
        try (NDManager local = NDManager.newBaseManager()) {
            NDArray pixels = pixels(local, 2, 16, 6);
            int modelArrays = modelManager.getManagedArrays().size();
            int localArrays = local.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                try (NDScope scope = new NDScope()) {
                    model.encodeImage(pixels);
                    model.encodeText(TOKENS);
                }
            }
            assertEquals(modelArrays, modelManager.getManagedArrays().size());
            assertEquals(localArrays, local.getManagedArrays().size());
            ImageFeatures kept = model.encodeImage(pixels);
            assertTrue(
                    kept.cls().getManager() == local,
                    "image outputs belong to the pixels' manager");
            assertEquals(
                    modelArrays,
                    modelManager.getManagedArrays().size(),
                    "no intermediates in the model");
        }
    }

    @Test
    void galoreTargetsAreTheBlockMatrices() {
        assertTrue(ClipModel.isGaloreTarget("visual.transformer.resblocks.0.attn.in_proj_weight"));
        assertTrue(
                ClipModel.isGaloreTarget("visual.transformer.resblocks.11.attn.out_proj.weight"));
        assertTrue(ClipModel.isGaloreTarget("transformer.resblocks.3.mlp.c_fc.weight"));
        assertTrue(ClipModel.isGaloreTarget("transformer.resblocks.3.mlp.c_proj.weight"));
        assertFalse(ClipModel.isGaloreTarget("transformer.resblocks.3.mlp.c_proj.bias"));
        assertFalse(ClipModel.isGaloreTarget("visual.transformer.resblocks.0.attn.in_proj_bias"));
        assertFalse(ClipModel.isGaloreTarget("visual.proj"));
        assertFalse(ClipModel.isGaloreTarget("visual.conv1.weight"));
        assertFalse(ClipModel.isGaloreTarget("transformer.resblocks.0.ln_1.weight"));
        assertEquals(
                4 * (2 + 2),
                SMALL.parameterShapes().keySet().stream()
                        .filter(ClipModel::isGaloreTarget)
                        .count());
    }

    @Test
    void malformedInputsAreRejected() {
        try (NDScope scope = new NDScope()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> model.encodeImage(pixels(manager, 1, 8, 1)));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> model.encodeText(new int[][] {{18, 20, 19}}));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> model.encodeText(new int[][] {{18, 19}, {18}}));
            assertThrows(IllegalArgumentException.class, () -> model.encodeText(new int[9][9]));
        }
    }

    /**
     * Asserts that the gradient of {@code objective} at each {@code entries[i]} of parameter {@code
     * names[i]} is above {@code minGradient} in magnitude and equals the central finite difference
     * (step 1e-6) within 1e-6 relative; the model must be float64 with its parameters trainable.
     */
    static void assertGradientsMatchFiniteDifferences(
            ClipModel m,
            String[] names,
            long[][] entries,
            java.util.function.Supplier<NDArray> objective,
            double minGradient) {
        double[] analytic = new double[names.length];
        try (NDScope scope = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(objective.get());
            for (int i = 0; i < names.length; i++) {
                analytic[i] = m.parameter(names[i]).getGradient().getDouble(entries[i]);
            }
        }
        double h = 1e-6;
        for (int i = 0; i < names.length; i++) {
            NDArray p = m.parameter(names[i]);
            NDIndex at = new NDIndex(entries[i]);
            double original = p.getDouble(entries[i]);
            double plus;
            double minus;
            try (NDScope scope = new NDScope()) {
                p.set(at, original + h);
                plus = objective.get().getDouble();
                p.set(at, original - h);
                minus = objective.get().getDouble();
                p.set(at, original);
            }
            double numeric = (plus - minus) / (2 * h);
            assertTrue(
                    Math.abs(analytic[i]) > minGradient,
                    names[i] + " gradient should not vanish: " + analytic[i]);
            assertEquals(numeric, analytic[i], 1e-6 * Math.max(1, Math.abs(numeric)), names[i]);
        }
    }

    /**
     * encodeText(tokens) (3, 16) equals the hidden states (3, 8, 32) at each row's end-of-text
     * position times text_projection (32, 16).
     */
    private void assertFeaturesAreTheProjectedHiddenStates(
            int[][] tokens, float[] hidden, int[] eot) {
        float[] projection = model.parameter("text_projection").toFloatArray(); // (32, 16)
        float[] features = model.encodeText(tokens).toFloatArray(); // (3, 16)
        for (int c = 0; c < 3; c++) {
            for (int d = 0; d < 16; d++) {
                double expected = 0;
                for (int w = 0; w < 32; w++) {
                    expected += hidden[(c * 8 + eot[c]) * 32 + w] * projection[w * 16 + d];
                }
                assertEquals(expected, features[c * 16 + d], 1e-4);
            }
        }
    }
}
