package eagle.core.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The patch presence term: which patches an instance owns (by hand), its value against the BCE
 * written out in plain Java over the owned patches, and its gradient reaching only those patches.
 */
class PatchPresenceLossTest {

    @Test
    void aPatchBelongsToTheInstanceCoveringMostOfItAtLeastHalf() {
        // image 0: instance 0 (class 3) covers patches 0 (all), 1 (half), 2 (0.4); instance 1
        // (class 1) covers patch 1 by 0.6 and patch 3 by half, as instance 3 (class 0) does
        // image 1: instance 2 (class 2) covers patches 2 and 3
        int[] imageIndex = {0, 0, 1, 0};
        float[][] coverage = {
            {1f, 0.5f, 0.4f, 0f}, {0f, 0.6f, 0f, 0.5f}, {0f, 0f, 1f, 1f}, {0f, 0f, 0f, 0.5f}
        };
        int[] labels = {3, 1, 2, 0};
        PatchPresenceLoss.OwnedPatches owned =
                PatchPresenceLoss.owned(2, imageIndex, coverage, labels);
        // patch 1 goes to the larger cover (instance 1), patch 2 to nobody (0.4 < 1/2), patch 3
        // of image 0 to the first of two equal covers (instance 1), image 1's patches 2, 3 = rows
        // 6, 7
        assertArrayEquals(new long[] {0, 1, 3, 6, 7}, owned.rows());
        assertArrayEquals(new int[] {3, 1, 1, 2, 2}, owned.labels());
        assertThrows(
                IllegalArgumentException.class,
                () -> PatchPresenceLoss.owned(2, new int[] {0}, coverage, labels));
    }

    @Test
    void theTermIsLambdaTimesTheSigmoidLossOverTheOwnedPatchesAndOnlyTheyGetGradients() {
        Random rnd = new Random(5);
        int b = 2;
        int p = 4;
        int d = 3;
        int c = 3;
        double[] patches = new double[b * p * d];
        for (int i = 0; i < patches.length; i++) {
            patches[i] = rnd.nextGaussian();
        }
        double[] t = LossesTest.randomUnitRows(rnd, c, d);
        PatchPresenceLoss.OwnedPatches owned =
                new PatchPresenceLoss.OwnedPatches(new long[] {0, 2, 5}, new int[] {1, 1, 2});
        float lambda = 3f;
        double scale = 10; // s' = e^{ln 10}
        double bias = -10;
        double expected = 0;
        for (int k = 0; k < owned.size(); k++) {
            int row = (int) owned.rows()[k];
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += patches[row * d + j] * patches[row * d + j];
            }
            norm = Math.sqrt(norm);
            for (int cls = 0; cls < c; cls++) {
                double cos = 0;
                for (int j = 0; j < d; j++) {
                    cos += patches[row * d + j] / norm * t[cls * d + j];
                }
                double x = cos * scale + bias;
                double y = owned.labels()[k] == cls ? 1 : 0;
                expected += LossesTest.log1pExp(x) - y * x;
            }
        }
        expected = lambda * expected / (owned.size() * c);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(patches, new Shape(b, p, d));
            s.setRequiresGradient(true);
            double actual;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss =
                        new PatchPresenceLoss(lambda, LossWeighting.INSTANCE)
                                .compute(
                                        s,
                                        m.create(t, new Shape(c, d)),
                                        owned,
                                        m.create(Math.log(scale)),
                                        m.create(bias));
                actual = loss.getDouble();
                collector.backward(loss);
            }
            assertEquals(expected, actual, 1e-12);
            GradientCheck.assertOnlyRowsMove(
                    s.getGradient().reshape(b * p, d).toDoubleArray(), d, Set.of(0, 2, 5));
        }
    }

    @Test
    void offOrWithoutOwnedPatchesItIsZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.ones(new Shape(1, 2, 2));
            NDArray t = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            PatchPresenceLoss.OwnedPatches one =
                    new PatchPresenceLoss.OwnedPatches(new long[] {0}, new int[] {0});
            PatchPresenceLoss.OwnedPatches none =
                    new PatchPresenceLoss.OwnedPatches(new long[0], new int[0]);
            NDArray scale = m.create((float) Math.log(10));
            NDArray bias = m.create(-10f);
            assertEquals(
                    0f,
                    new PatchPresenceLoss(0f, LossWeighting.INSTANCE)
                            .compute(s, t, one, scale, bias)
                            .getFloat());
            assertEquals(
                    0f,
                    new PatchPresenceLoss(5f, LossWeighting.INSTANCE)
                            .compute(s, t, none, scale, bias)
                            .getFloat());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> new PatchPresenceLoss(-1f, LossWeighting.INSTANCE));
    }
}
