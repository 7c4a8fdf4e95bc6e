package eagle.core.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import eagle.core.text.PlacePhrases.Place;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The place term: a mask's place from its coverage (by hand on a 4×4 grid), which patches it asks
 * about, and its value against the softmax cross-entropy written out in plain Java, with gradients
 * reaching only the kept patches.
 */
class PlaceLossTest {

    /** A 4×4 coverage grid with the given cells (row, column) fully covered. */
    private static float[] cells(int... rowCol) {
        float[] a = new float[16];
        for (int i = 0; i < rowCol.length; i += 2) {
            a[rowCol[i] * 4 + rowCol[i + 1]] = 1f;
        }
        return a;
    }

    @Test
    void aMaskLeaningToASideHasThatPlaceAndACentredOneNone() {
        assertEquals(Place.LEFT.ordinal(), PlaceLoss.place(cells(1, 0, 2, 0))); // x 0.125
        assertEquals(Place.RIGHT.ordinal(), PlaceLoss.place(cells(0, 3, 3, 3, 2, 2)));
        assertEquals(Place.TOP.ordinal(), PlaceLoss.place(cells(0, 1, 0, 2)));
        assertEquals(Place.BOTTOM.ordinal(), PlaceLoss.place(cells(3, 0, 3, 1, 3, 2, 2, 1)));
        assertEquals(-1, PlaceLoss.place(cells(1, 1, 1, 2, 2, 1, 2, 2))); // the middle
        // centre (0.5, 0.375): 0.125 above the middle, not clearly off it
        assertEquals(-1, PlaceLoss.place(cells(1, 1, 1, 2)));
        // the larger offset wins: centre (0.375, 0.125), 0.125 left of the middle, 0.375 above
        assertEquals(Place.TOP.ordinal(), PlaceLoss.place(cells(0, 1)));
        assertEquals(-1, PlaceLoss.place(new float[16])); // an empty mask
        assertThrows(IllegalArgumentException.class, () -> PlaceLoss.place(new float[15]));
    }

    @Test
    void onlyPatchesOfPlacedInstancesAreAskedWithTheirClassAndPlaceRow() {
        // image 0: instance 0 (class 2) on the left; instance 1 (class 1) in the middle
        // image 1: instance 2 (class 0) at the bottom, half covering one of its patches
        int[] imageIndex = {0, 0, 1};
        float[] bottom = cells(3, 1, 3, 2);
        bottom[3 * 4 + 3] = 0.5f;
        float[][] coverage = {cells(1, 0, 2, 0), cells(1, 1, 1, 2, 2, 1, 2, 2), bottom};
        int[] labels = {2, 1, 0};
        PatchPresenceLoss.OwnedPatches placed = PlaceLoss.placed(2, imageIndex, coverage, labels);
        int q = Place.values().length;
        assertArrayEquals(new long[] {4, 8, 16 + 13, 16 + 14, 16 + 15}, placed.rows());
        int left = 2 * q + Place.LEFT.ordinal();
        int down = Place.BOTTOM.ordinal();
        assertArrayEquals(new int[] {left, left, down, down, down}, placed.labels());
    }

    @Test
    void theTermIsLambdaTimesTheMeanCrossEntropyOverTheOwnerClassPlaces() {
        Random rnd = new Random(11);
        int b = 2;
        int p = 4;
        int d = 3;
        int c = 2;
        int q = Place.values().length;
        double[] patches = new double[b * p * d];
        for (int i = 0; i < patches.length; i++) {
            patches[i] = rnd.nextGaussian();
        }
        double[] w = LossesTest.randomUnitRows(rnd, c * q, d);
        // rows 1, 2 of image 0 and row 3 of image 1 (flat 7), labelled with phrase rows
        PatchPresenceLoss.OwnedPatches placed =
                new PatchPresenceLoss.OwnedPatches(
                        new long[] {1, 2, 7}, new int[] {0 * q + 1, 1 * q + 3, 1 * q + 0});
        float lambda = 2.5f;
        double logitScale = Math.log(20);
        double expected = 0;
        for (int k = 0; k < placed.size(); k++) {
            int row = (int) placed.rows()[k];
            int cls = placed.labels()[k] / q;
            int target = placed.labels()[k] % q;
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += patches[row * d + j] * patches[row * d + j];
            }
            norm = Math.sqrt(norm);
            double[] z = new double[q];
            double max = Double.NEGATIVE_INFINITY;
            for (int place = 0; place < q; place++) {
                for (int j = 0; j < d; j++) {
                    z[place] += 20 * patches[row * d + j] / norm * w[(cls * q + place) * d + j];
                }
                max = Math.max(max, z[place]);
            }
            double sum = 0;
            for (double zi : z) {
                sum += Math.exp(zi - max);
            }
            expected += max + Math.log(sum) - z[target];
        }
        expected = lambda * expected / placed.size();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(patches, new Shape(b, p, d));
            s.setRequiresGradient(true);
            double actual;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss =
                        new PlaceLoss(lambda)
                                .compute(
                                        s,
                                        m.create(w, new Shape(c * q, d)),
                                        placed,
                                        m.create(logitScale));
                actual = loss.getDouble();
                collector.backward(loss);
            }
            assertEquals(expected, actual, 1e-12);
            GradientCheck.assertOnlyRowsMove(
                    s.getGradient().reshape(b * p, d).toDoubleArray(), d, Set.of(1, 2, 7));
        }
    }

    @Test
    void offOrWithoutKeptPatchesItIsZeroAndANegativeLambdaIsRefused() {
        int q = Place.values().length;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.ones(new Shape(1, 2, 2));
            NDArray w = m.ones(new Shape(q, 2));
            NDArray scale = m.create(0f);
            PatchPresenceLoss.OwnedPatches one =
                    new PatchPresenceLoss.OwnedPatches(new long[] {0}, new int[] {1});
            PatchPresenceLoss.OwnedPatches none =
                    new PatchPresenceLoss.OwnedPatches(new long[0], new int[0]);
            assertEquals(0f, new PlaceLoss(0f).compute(s, w, one, scale).getFloat());
            assertEquals(0f, new PlaceLoss(5f).compute(s, w, none, scale).getFloat());
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            new PlaceLoss(1f)
                                    .compute(
                                            s,
                                            w,
                                            new PatchPresenceLoss.OwnedPatches(
                                                    new long[] {0}, new int[] {q}),
                                            scale));
        }
        assertThrows(IllegalArgumentException.class, () -> new PlaceLoss(-1f));
    }
}
