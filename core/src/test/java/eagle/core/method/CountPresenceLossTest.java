package eagle.core.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The count presence term: its targets by hand, and its value against the BCE over log-sum-exp soft
 * maxima written out in plain Java.
 */
class CountPresenceLossTest {

    private static final int B = 2;
    private static final int P = 4;
    private static final int D = 3;
    private static final int C = 2;
    private static final int M = 3;
    // image 0: two of class 1, one of class 0; image 1: four of class 0 (more than M)
    private static final int[] IMAGE_INDEX = {0, 0, 0, 1, 1, 1, 1};
    private static final int[] LABELS = {1, 0, 1, 0, 0, 0, 0};
    private static final double SCALE = ImagePresenceLossTest.SCALE;
    private static final double BIAS = ImagePresenceLossTest.BIAS;

    @Test
    void theTruePhraseIsTheExactCountAndNoneFitsMoreThanM() {
        float[] y = CountPresenceLoss.targets(B, C, M, IMAGE_INDEX, LABELS);
        assertArrayEquals(
                new float[] {
                    1, 0, 0, 0, 1, 0, // image 0: "one c0", "two c1"
                    0, 0, 0, 0, 0, 0 // image 1: four c0 has no phrase, c1 absent
                },
                y);
        assertThrows(
                IllegalArgumentException.class,
                () -> CountPresenceLoss.targets(B, C, 0, IMAGE_INDEX, LABELS));
        assertThrows(
                IllegalArgumentException.class,
                () -> CountPresenceLoss.targets(B, C, M, new int[] {0}, new int[] {C}));
    }

    @Test
    void theTermIsTheSigmoidLossOverSoftMaximaOfTheCountedPhrases() {
        Random rnd = new Random(5);
        double[] patches = new double[B * P * D];
        for (int i = 0; i < patches.length; i++) {
            patches[i] = rnd.nextGaussian();
        }
        double[] u = LossesTest.randomUnitRows(rnd, C * M, D);
        float lambda = 2f;
        double expected =
                ImagePresenceLossTest.plainSoftMaxBce(
                        patches,
                        B,
                        P,
                        D,
                        u,
                        CountPresenceLoss.targets(B, C, M, IMAGE_INDEX, LABELS),
                        lambda);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray actual =
                    new CountPresenceLoss(lambda)
                            .compute(
                                    m.create(patches, new Shape(B, P, D)),
                                    m.create(u, new Shape(C * M, D)),
                                    C,
                                    IMAGE_INDEX,
                                    LABELS,
                                    m.create(Math.log(SCALE)),
                                    m.create(BIAS));
            assertEquals(expected, actual.getDouble(), 1e-12);
        }
    }

    @Test
    void offItIsZeroAndPhrasesMustBeMPerClass() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.ones(new Shape(1, 2, 2));
            NDArray u = m.create(new float[] {1, 0, 0, 1, 1, 0}, new Shape(3, 2));
            NDArray scale = m.create((float) Math.log(10));
            NDArray bias = m.create(-10f);
            int[] image = {0};
            int[] label = {1};
            assertEquals(
                    0f,
                    new CountPresenceLoss(0f)
                            .compute(s, u, 3, image, label, scale, bias)
                            .getFloat());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new CountPresenceLoss(1f).compute(s, u, 2, image, label, scale, bias));
        }
        assertThrows(IllegalArgumentException.class, () -> new CountPresenceLoss(-1f));
        assertThrows(IllegalArgumentException.class, () -> new CountPresenceLoss(Float.NaN));
    }
}
