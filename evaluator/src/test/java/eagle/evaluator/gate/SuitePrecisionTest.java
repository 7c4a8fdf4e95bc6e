package eagle.evaluator.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.eval.Bootstrap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A suite too small for the gate's margins is said so, in the notes and the slice's reason. */
class SuitePrecisionTest {

    static final Map<String, Double> VALUES =
            Map.of(
                    "zeroshot_cls", 0.60,
                    "zeroshot_seq", 0.50,
                    "pope.adversarial.fpr", 0.10,
                    "mmvp.pair_accuracy", 0.40);

    private static Blessing passing() {
        Blessing b =
                PromotionGate.evaluate(
                        GateConfig.defaults(),
                        MatchingOutcomes.set(2, "c", VALUES),
                        MatchingOutcomes.set(1, "b", VALUES),
                        MatchingOutcomes.set(null, "base", VALUES));
        assertTrue(b.passed());
        return b;
    }

    @Test
    void anIntervalWiderThanTheMarginIsSaidInTheNotesAndTheSlicesReason() {
        // CLS ±0.04 against the defaults' tightest CLS margin 0.01 (baseline; 0.02 for the base)
        List<SuitePrecision.Assessment> a =
                SuitePrecision.assess(
                        GateConfig.defaults(),
                        Map.of(
                                "zeroshot_cls", new Bootstrap.Interval(0.56, 0.64),
                                "zeroshot_seq", new Bootstrap.Interval(0.3, 0.7)));
        // zeroshot_seq's margin is 0 ("not below the baseline's"): compared as point estimates
        assertEquals(1, a.size(), a.toString());
        assertEquals(0.04, a.get(0).halfWidth(), 1e-12);
        assertEquals(0.01, a.get(0).margin(), 1e-12);
        assertTrue(a.get(0).tooWide());
        String note = "suite too small for the margin: zeroshot_cls interval ±0.040 > margin 0.010";
        assertEquals(note, a.get(0).note());

        Blessing warned = SuitePrecision.apply(passing(), a, SuitePrecision.Policy.WARN);
        assertTrue(warned.passed(), "warn: the verdict stands");
        assertTrue(warned.notes().contains(note), warned.notes().toString());
        SliceVerdict cls = slice(warned, "zeroshot/cls");
        assertTrue(cls.passed());
        assertEquals("passed; " + note, cls.reason());
        assertNull(slice(warned, "zeroshot/seq").reason(), "other slices unchanged");

        Blessing blocked = SuitePrecision.apply(passing(), a, SuitePrecision.Policy.BLOCK);
        assertFalse(blocked.passed(), "block: an imprecise slice fails");
        assertFalse(slice(blocked, "zeroshot/cls").passed());
        assertEquals(note, slice(blocked, "zeroshot/cls").reason());
        assertTrue(slice(blocked, "mmvp").passed());
    }

    @Test
    void aHalfWidthJustAboveTheMarginIsPrintedAboveIt() {
        SuitePrecision.Assessment a =
                new SuitePrecision.Assessment("zeroshot_cls", "zeroshot/cls", 0.01025, 0.01, true);
        assertEquals(
                "suite too small for the margin: zeroshot_cls interval ±0.0103 > margin 0.010",
                a.note());
        SuitePrecision.Assessment b =
                new SuitePrecision.Assessment("zeroshot_cls", "zeroshot/cls", 0.010004, 0.01, true);
        assertTrue(b.note().contains("±0.010004 > margin 0.010"), b.note());
    }

    @Test
    void aHalfWidthEqualToTheMarginIsNotTooWide() {
        // 0.029 − 0.009 is 0.020000000000000004 in binary floating point: on the margin, not above
        List<SuitePrecision.Assessment> a =
                SuitePrecision.assess(
                        GateConfig.defaults(),
                        Map.of("zeroshot_cls", new Bootstrap.Interval(0.009, 0.029)));
        assertTrue(a.get(0).halfWidth() > 0.01, "the subtraction lands above the margin");
        assertFalse(a.get(0).tooWide());
    }

    @Test
    void aNarrowEnoughIntervalChangesNothing() {
        List<SuitePrecision.Assessment> a =
                SuitePrecision.assess(
                        GateConfig.defaults(),
                        Map.of("zeroshot_cls", new Bootstrap.Interval(0.595, 0.605)));
        assertEquals(1, a.size());
        assertFalse(a.get(0).tooWide());
        Blessing b = passing();
        assertSame(b, SuitePrecision.apply(b, a, SuitePrecision.Policy.BLOCK));
    }

    @Test
    void aMissingOrNonFiniteIntervalIsNotAssessed() {
        assertEquals(
                List.of(),
                SuitePrecision.assess(
                        GateConfig.defaults(),
                        Map.of("zeroshot_cls", new Bootstrap.Interval(Double.NaN, Double.NaN))));
        assertEquals(List.of(), SuitePrecision.assess(GateConfig.defaults(), Map.of()));
    }

    private static SliceVerdict slice(Blessing b, String name) {
        return b.slices().stream().filter(s -> s.slice().equals(name)).findFirst().orElseThrow();
    }
}
