package eagle.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    private static final double PEAK = 6e-4;
    private static final double MIN = 6e-5;

    @Test
    void warmupIsLinearFromPeakOverWarmupPlusOne() {
        assertEquals(PEAK / 11, LearningRateSchedule.cosine(0, 10, 100, PEAK, MIN), 1e-15);
        assertEquals(PEAK * 5 / 11, LearningRateSchedule.cosine(4, 10, 100, PEAK, MIN), 1e-15);
        assertEquals(PEAK * 10 / 11, LearningRateSchedule.cosine(9, 10, 100, PEAK, MIN), 1e-15);
    }

    @Test
    void cosineDecayHitsPeakMidpointAndFloor() {
        assertEquals(PEAK, LearningRateSchedule.cosine(10, 10, 110, PEAK, MIN), 1e-15);
        assertEquals((PEAK + MIN) / 2, LearningRateSchedule.cosine(60, 10, 110, PEAK, MIN), 1e-15);
        // quarter way: min + ½(1 + cos(π/4))(peak − min)
        double quarter = MIN + 0.5 * (1 + Math.sqrt(0.5)) * (PEAK - MIN);
        assertEquals(quarter, LearningRateSchedule.cosine(35, 10, 110, PEAK, MIN), 1e-15);
        assertEquals(MIN, LearningRateSchedule.cosine(110, 10, 110, PEAK, MIN), 1e-15);
        assertEquals(MIN, LearningRateSchedule.cosine(5000, 10, 110, PEAK, MIN), 0.0);
    }

    @Test
    void decayIsMonotoneAndWithinBounds() {
        double prev = Double.POSITIVE_INFINITY;
        for (int s = 10; s <= 200; s++) {
            double lr = LearningRateSchedule.cosine(s, 10, 150, PEAK, MIN);
            assertTrue(lr <= prev && lr >= MIN && lr <= PEAK, "step " + s);
            prev = lr;
        }
        assertEquals(PEAK, LearningRateSchedule.cosine(0, 0, 10, PEAK, MIN), 1e-15); // no warm-up
    }

    @Test
    void rejectsInconsistentArguments() {
        assertThrows(
                IllegalArgumentException.class, () -> LearningRateSchedule.cosine(-1, 1, 2, 1, 0));
        assertThrows(
                IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0, 5, 5, 1, 0));
        assertThrows(
                IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0, 1, 5, 1, 2));
    }
}
