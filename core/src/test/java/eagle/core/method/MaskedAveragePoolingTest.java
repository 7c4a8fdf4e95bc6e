package eagle.core.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.PatchCoverage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskedAveragePoolingTest {

    @Test
    void selectionFollowsTauAndFallsBackToTheLargestPatch() {
        float[] a = {0f, 0.2f, 0.6f, 0.05f};
        assertArrayEquals(
                new float[] {0, 1 / 3f, 1 / 3f, 1 / 3f},
                MaskedAveragePooling.selectionWeights(a, 0f),
                1e-7f); // any overlap
        assertArrayEquals(
                new float[] {0, 0.5f, 0.5f, 0},
                MaskedAveragePooling.selectionWeights(a, 0.1f),
                1e-7f);
        assertArrayEquals(
                new float[] {0, 0, 1, 0},
                MaskedAveragePooling.selectionWeights(a, 0.7f),
                0f); // none passes -> argmax
        assertArrayEquals(
                new float[] {0, 1, 0, 0},
                MaskedAveragePooling.selectionWeights(new float[] {0, 0.3f, 0.3f, 0}, 0.5f),
                0f); // first on ties
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> MaskedAveragePooling.selectionWeights(new float[4], 0f));
        assertTrue(e.getMessage().contains("covers no patch"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> MaskedAveragePooling.selectionWeights(new float[] {0.5f, 1.5f}, 0f));
        assertThrows(
                IllegalArgumentException.class,
                () -> MaskedAveragePooling.selectionWeights(new float[] {0.5f, Float.NaN}, 0f));
        assertThrows(IllegalArgumentException.class, () -> new MaskedAveragePooling(1f));
    }

    @Test
    void poolsHandMadeMasksOnAFourPatchGrid() {
        // 4x4 image, S = 4, patch 2 -> 2x2 grid; patches of image 0: p0=(1,0), p1=(0,1), p2=(1,1),
        // p3=(3,0);
        // image 1: p0=(0,2), p1=(2,0), p2=(0,-1), p3=(5,5).
        // mask A (image 0): top-left 2x2 block plus pixel (0,2) -> coverage [1, 1/4, 0, 0]
        //   tau 0:   mean(p0, p1) = (0.5, 0.5) -> (1/√2, 1/√2)
        //   tau 0.3: p0 only -> (1, 0)
        // mask B (image 1): pixel (3,3) -> coverage [0, 0, 0, 1/4]
        //   tau 0.3: nothing passes -> largest patch p3 = (5,5) -> (1/√2, 1/√2)
        BinaryMask a = BinaryMask.empty(4, 4);
        a.set(0, 0, true);
        a.set(0, 1, true);
        a.set(1, 0, true);
        a.set(1, 1, true);
        a.set(0, 2, true);
        BinaryMask b = BinaryMask.empty(4, 4);
        b.set(3, 3, true);
        float[][] coverage = {PatchCoverage.of(a, 4, 2), PatchCoverage.of(b, 4, 2)};
        assertArrayEquals(new float[] {1f, 0.25f, 0f, 0f}, coverage[0], 1e-6f);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0.25f}, coverage[1], 1e-6f);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray patches =
                    m.create(
                            new float[] {1, 0, 0, 1, 1, 1, 3, 0, 0, 2, 2, 0, 0, -1, 5, 5},
                            new Shape(2, 4, 2));
            float r = (float) (1 / Math.sqrt(2));
            NDArray any = new MaskedAveragePooling(0f).pool(patches, new int[] {0, 1}, coverage);
            assertEquals(new Shape(2, 2), any.getShape());
            assertArrayEquals(new float[] {r, r, r, r}, any.toFloatArray(), 1e-6f);
            NDArray strict =
                    new MaskedAveragePooling(0.3f).pool(patches, new int[] {0, 1}, coverage);
            assertArrayEquals(new float[] {1, 0, r, r}, strict.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void equalsALoopOverPatches() {
        Random rnd = new Random(3);
        int b = 3;
        int p = 9;
        int d = 5;
        int n = 7;
        float tau = 0.1f;
        float[] s = new float[b * p * d];
        for (int k = 0; k < s.length; k++) {
            s[k] = (float) rnd.nextGaussian();
        }
        int[] image = new int[n];
        float[][] a = new float[n][p];
        for (int i = 0; i < n; i++) {
            image[i] = rnd.nextInt(b);
            for (int q = 0; q < p; q++) {
                double u = rnd.nextDouble();
                a[i][q] =
                        u < 0.5
                                ? 0f
                                : (float) (u < 0.8 ? rnd.nextDouble() * 0.2 : rnd.nextDouble());
            }
            a[i][rnd.nextInt(p)] = 0.05f; // at least one nonzero; some rows have nothing above tau
        }
        a[n - 1] = new float[p];
        a[n - 1][4] = 0.02f;
        a[n - 1][7] = 0.09f; // only sub-tau patches: the fallback picks patch 7
        float[] pooled;
        try (NDManager m = NDManager.newBaseManager()) {
            pooled =
                    new MaskedAveragePooling(tau)
                            .pool(m.create(s, new Shape(b, p, d)), image, a)
                            .toFloatArray();
        }
        for (int i = 0; i < n; i++) {
            double[] sum = new double[d];
            int count = 0;
            for (int q = 0; q < p; q++) {
                if (a[i][q] > tau) {
                    count++;
                    for (int k = 0; k < d; k++) {
                        sum[k] += s[(image[i] * p + q) * d + k];
                    }
                }
            }
            if (count == 0) {
                int best = 0;
                for (int q = 1; q < p; q++) {
                    if (a[i][q] > a[i][best]) {
                        best = q;
                    }
                }
                for (int k = 0; k < d; k++) {
                    sum[k] = s[(image[i] * p + best) * d + k];
                }
            }
            double norm = 0;
            for (int k = 0; k < d; k++) {
                norm += sum[k] * sum[k];
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < d; k++) {
                assertEquals(sum[k] / norm, pooled[i * d + k], 1e-5, "instance " + i + " dim " + k);
            }
        }
    }

    @Test
    void gradientReachesThePatchesAndMatchesFiniteDifferences() {
        Random rnd = new Random(11);
        int b = 2;
        int p = 4;
        int d = 3;
        double[] s = new double[b * p * d];
        for (int k = 0; k < s.length; k++) {
            s[k] = rnd.nextGaussian();
        }
        int[] image = {1, 0, 1};
        float[][] a = {{0.5f, 0f, 0.2f, 0f}, {0f, 0f, 0f, 0.1f}, {0f, 1f, 1f, 1f}};
        double[] weights = {0.3, -1.2, 0.7, 2.0, 0.1, -0.4, 1.1, 0.5, -0.9}; // (N, D) probe
        MaskedAveragePooling pooling = new MaskedAveragePooling(0f);
        java.util.function.Function<NDArray[], NDArray> f =
                in -> {
                    NDArray v = pooling.pool(in[0], image, a);
                    return v.mul(in[0].getManager().create(weights, new Shape(3, 3))).sum();
                };
        Shape[] shapes = {new Shape(b, p, d)};
        double[][] analytic = GradientCheck.analytic(new double[][] {s}, shapes, f);
        double[][] numeric = GradientCheck.numeric(new double[][] {s}, shapes, f, 1e-6);
        GradientCheck.assertClose(numeric, analytic, 1e-7, new String[] {"patches"});
        // image 0, patches 0..2 are in no selected set: their gradient is exactly zero
        for (int k = 0; k < 3 * d; k++) {
            assertEquals(0.0, analytic[0][k], 0.0);
        }
    }

    @Test
    void keepsTheDataTypeAndRejectsBadInput() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray patches = m.ones(new Shape(2, 4, 3), DataType.FLOAT64);
            MaskedAveragePooling pooling = new MaskedAveragePooling(0f);
            assertEquals(
                    DataType.FLOAT64,
                    pooling.pool(patches, new int[] {0}, new float[][] {{1, 0, 0, 0}})
                            .getDataType());
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    pooling.pool(
                                            patches,
                                            new int[] {0, 1},
                                            new float[][] {{1, 0, 0, 0}, {0, 0, 0, 0}}));
            assertTrue(e.getMessage().startsWith("instance 1:"), e.getMessage());
            e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    pooling.pool(
                                            patches, new int[] {2}, new float[][] {{1, 0, 0, 0}}));
            assertTrue(e.getMessage().contains("image index 2"), e.getMessage());
            e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> pooling.pool(patches, new int[] {0}, new float[][] {{1, 0, 0}}));
            assertTrue(e.getMessage().contains("P = 4"), e.getMessage());
        }
    }
}
