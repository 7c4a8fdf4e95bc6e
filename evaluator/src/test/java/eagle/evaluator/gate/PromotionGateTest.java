package eagle.evaluator.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The threshold semantics case by case. Values are chosen exactly representable in binary (0.5,
 * 0.25, 0.125, ...) where a test sits on a boundary, so "diff = bound passes" is a statement about
 * the gate and not about rounding.
 */
class PromotionGateTest {

    private static MetricSet set(Integer version, Object... kv) {
        Map<String, Double> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return MatchingOutcomes.set(version, "sha" + version, m);
    }

    private static GateConfig one(MetricThreshold t) {
        return new GateConfig(List.of(t));
    }

    private static Check only(Blessing b, Check.Kind kind) {
        List<Check> c = b.checks().stream().filter(x -> x.kind() == kind).toList();
        assertEquals(1, c.size(), "exactly one " + kind + " check in " + b.checks());
        return c.get(0);
    }

    @Test
    void negativeAbsoluteMarginAllowsASmallDropAndBlocksALargerOne() {
        GateConfig g =
                one(
                        MetricThreshold.changes(
                                "zeroshot_cls",
                                Direction.HIGHER_IS_BETTER,
                                ChangeThreshold.absolute(Reference.BASELINE, -0.125)));
        MetricSet baseline = set(3, "zeroshot_cls", 0.75);
        // diff = 0.625 − 0.75 = −0.125 = bound → passes (≥)
        Blessing atBound = PromotionGate.evaluate(g, set(4, "zeroshot_cls", 0.625), baseline, null);
        assertTrue(atBound.passed());
        assertEquals(-0.125, only(atBound, Check.Kind.ABSOLUTE_CHANGE).observed());
        // diff = 0.5 − 0.75 = −0.25 < −0.125 → fails
        Blessing below = PromotionGate.evaluate(g, set(4, "zeroshot_cls", 0.5), baseline, null);
        assertFalse(below.passed());
        Check c = only(below, Check.Kind.ABSOLUTE_CHANGE);
        assertEquals(-0.25, c.observed());
        assertEquals(-0.125, c.threshold());
        assertEquals(3, c.referenceVersion());
        assertEquals(0.75, c.reference());
        assertFalse(below.slices().get(0).passed());
        assertEquals("zeroshot/cls", below.slices().get(0).slice());
        assertTrue(below.slices().get(0).reason().contains("zeroshot_cls"));
    }

    @Test
    void higherIsBetterZeroMarginRejectsAnyDrop() {
        GateConfig g =
                one(
                        MetricThreshold.changes(
                                "mmvp.pair_accuracy",
                                Direction.HIGHER_IS_BETTER,
                                ChangeThreshold.absolute(Reference.BASELINE, 0.0)));
        MetricSet baseline = set(1, "mmvp.pair_accuracy", 0.5);
        assertTrue(
                PromotionGate.evaluate(g, set(2, "mmvp.pair_accuracy", 0.5), baseline, null)
                        .passed());
        assertTrue(
                PromotionGate.evaluate(g, set(2, "mmvp.pair_accuracy", 0.625), baseline, null)
                        .passed());
        assertFalse(
                PromotionGate.evaluate(g, set(2, "mmvp.pair_accuracy", 0.4990), baseline, null)
                        .passed());
    }

    @Test
    void lowerIsBetterComparesDiffAgainstAnUpperBound() {
        GateConfig g =
                one(
                        MetricThreshold.changes(
                                "pope.adversarial.fpr",
                                Direction.LOWER_IS_BETTER,
                                ChangeThreshold.absolute(Reference.BASELINE, 0.0)));
        MetricSet baseline = set(1, "pope.adversarial.fpr", 0.25);
        // a lower FPR is better: passes
        Blessing better =
                PromotionGate.evaluate(g, set(2, "pope.adversarial.fpr", 0.125), baseline, null);
        assertTrue(better.passed());
        assertEquals(-0.125, only(better, Check.Kind.ABSOLUTE_CHANGE).observed());
        assertEquals("pope/adversarial", better.slices().get(0).slice());
        // equal: passes (≤ 0); higher: fails
        assertTrue(
                PromotionGate.evaluate(g, set(2, "pope.adversarial.fpr", 0.25), baseline, null)
                        .passed());
        Blessing worse =
                PromotionGate.evaluate(g, set(2, "pope.adversarial.fpr", 0.375), baseline, null);
        assertFalse(worse.passed());
        assertEquals(0.125, only(worse, Check.Kind.ABSOLUTE_CHANGE).observed());
        // a positive allowance for a lower-is-better metric: "no worse than +0.125"
        GateConfig loose =
                one(
                        MetricThreshold.changes(
                                "pope.adversarial.fpr",
                                Direction.LOWER_IS_BETTER,
                                ChangeThreshold.absolute(Reference.BASELINE, 0.125)));
        assertTrue(
                PromotionGate.evaluate(loose, set(2, "pope.adversarial.fpr", 0.375), baseline, null)
                        .passed());
        assertFalse(
                PromotionGate.evaluate(loose, set(2, "pope.adversarial.fpr", 0.5), baseline, null)
                        .passed());
    }

    @Test
    void directionDecidesTheSameNumbers() {
        // same candidate and baseline, opposite directions: exactly one passes
        MetricSet cand = set(2, "m", 0.5);
        MetricSet base = set(1, "m", 0.25);
        boolean higher =
                PromotionGate.evaluate(
                                one(
                                        MetricThreshold.changes(
                                                "m",
                                                Direction.HIGHER_IS_BETTER,
                                                ChangeThreshold.absolute(Reference.BASELINE, 0.0))),
                                cand,
                                base,
                                null)
                        .passed();
        boolean lower =
                PromotionGate.evaluate(
                                one(
                                        MetricThreshold.changes(
                                                "m",
                                                Direction.LOWER_IS_BETTER,
                                                ChangeThreshold.absolute(Reference.BASELINE, 0.0))),
                                cand,
                                base,
                                null)
                        .passed();
        assertTrue(higher);
        assertFalse(lower);
    }

    @Test
    void relativeChangeIsDiffOverBaseline() {
        // rel = (0.45 − 0.5)/0.5 = −0.1; bound −0.2 passes, bound −0.05 fails
        MetricSet baseline = set(1, "zeroshot_seq", 0.5);
        MetricSet cand = set(2, "zeroshot_seq", 0.45);
        Blessing ok =
                PromotionGate.evaluate(
                        one(
                                MetricThreshold.changes(
                                        "zeroshot_seq",
                                        Direction.HIGHER_IS_BETTER,
                                        ChangeThreshold.relative(Reference.BASELINE, -0.2))),
                        cand,
                        baseline,
                        null);
        assertTrue(ok.passed());
        assertEquals((0.45 - 0.5) / 0.5, only(ok, Check.Kind.RELATIVE_CHANGE).observed(), 1e-15);
        Blessing bad =
                PromotionGate.evaluate(
                        one(
                                MetricThreshold.changes(
                                        "zeroshot_seq",
                                        Direction.HIGHER_IS_BETTER,
                                        ChangeThreshold.relative(Reference.BASELINE, -0.05))),
                        cand,
                        baseline,
                        null);
        assertFalse(bad.passed());
        // lower-is-better relative: FPR 0.2 → 0.3 is +50 %; allowed +25 % fails, +60 % passes
        MetricSet fb = set(1, "pope.random.fpr", 0.2);
        MetricSet fc = set(2, "pope.random.fpr", 0.3);
        assertFalse(
                PromotionGate.evaluate(
                                one(
                                        MetricThreshold.changes(
                                                "pope.random.fpr",
                                                Direction.LOWER_IS_BETTER,
                                                ChangeThreshold.relative(
                                                        Reference.BASELINE, 0.25))),
                                fc,
                                fb,
                                null)
                        .passed());
        assertTrue(
                PromotionGate.evaluate(
                                one(
                                        MetricThreshold.changes(
                                                "pope.random.fpr",
                                                Direction.LOWER_IS_BETTER,
                                                ChangeThreshold.relative(Reference.BASELINE, 0.6))),
                                fc,
                                fb,
                                null)
                        .passed());
    }

    @Test
    void zeroBaselineUnderARelativeThresholdFailsClosed() {
        GateConfig g =
                one(
                        MetricThreshold.changes(
                                "pope.adversarial.fpr",
                                Direction.LOWER_IS_BETTER,
                                ChangeThreshold.relative(Reference.BASELINE, 10.0)));
        // 0 → 0 would be "no change" to a lenient gate; a ratio with a zero denominator is
        // undefined
        Blessing b =
                PromotionGate.evaluate(
                        g,
                        set(2, "pope.adversarial.fpr", 0.0),
                        set(1, "pope.adversarial.fpr", 0.0),
                        null);
        assertFalse(b.passed());
        Check c = only(b, Check.Kind.RELATIVE_CHANGE);
        assertTrue(Double.isNaN(c.observed()));
        assertTrue(c.reason().contains("is 0"), c.reason());
        // the same zero baseline under an absolute threshold is fine
        assertTrue(
                PromotionGate.evaluate(
                                one(
                                        MetricThreshold.changes(
                                                "pope.adversarial.fpr",
                                                Direction.LOWER_IS_BETTER,
                                                ChangeThreshold.absolute(Reference.BASELINE, 0.0))),
                                set(2, "pope.adversarial.fpr", 0.0),
                                set(1, "pope.adversarial.fpr", 0.0),
                                null)
                        .passed());
    }

    @Test
    void nanFailsClosedInTheCandidateAndInTheReference() {
        GateConfig g =
                one(
                        MetricThreshold.changes(
                                "zeroshot_cls",
                                Direction.HIGHER_IS_BETTER,
                                ChangeThreshold.absolute(Reference.BASELINE, -1.0)));
        Blessing candNan =
                PromotionGate.evaluate(
                        g, set(2, "zeroshot_cls", Double.NaN), set(1, "zeroshot_cls", 0.5), null);
        assertFalse(candNan.passed());
        assertFalse(only(candNan, Check.Kind.PRESENT).passed());
        assertFalse(only(candNan, Check.Kind.ABSOLUTE_CHANGE).passed());
        // a NaN baseline: NaN comparisons are false in both directions, so a naive gate would pass
        // "lower"
        for (Direction d : Direction.values()) {
            Blessing refNan =
                    PromotionGate.evaluate(
                            one(
                                    MetricThreshold.changes(
                                            "zeroshot_cls",
                                            d,
                                            ChangeThreshold.absolute(
                                                    Reference.BASELINE,
                                                    d == Direction.HIGHER_IS_BETTER ? -1.0 : 1.0))),
                            set(2, "zeroshot_cls", 0.5),
                            set(1, "zeroshot_cls", Double.NaN),
                            null);
            assertFalse(refNan.passed(), d.name());
            assertTrue(only(refNan, Check.Kind.PRESENT).passed());
        }
        // a NaN under a value threshold only
        assertFalse(
                PromotionGate.evaluate(
                                one(
                                        MetricThreshold.value(
                                                "zeroshot_cls",
                                                Direction.HIGHER_IS_BETTER,
                                                0.0,
                                                null)),
                                set(2, "zeroshot_cls", Double.NaN),
                                null,
                                null)
                        .passed());
    }

    @Test
    void missingMetricFailsClosed() {
        GateConfig g =
                new GateConfig(
                        List.of(
                                MetricThreshold.value(
                                        "zeroshot_cls", Direction.HIGHER_IS_BETTER, 0.0, 1.0),
                                MetricThreshold.value(
                                        "pope.adversarial.fpr",
                                        Direction.LOWER_IS_BETTER,
                                        null,
                                        1.0)));
        Blessing b = PromotionGate.evaluate(g, set(2, "zeroshot_cls", 0.5), null, null);
        assertFalse(b.passed());
        assertTrue(b.slices().get(0).passed());
        assertFalse(b.slices().get(1).passed());
        assertTrue(b.slices().get(1).reason().contains("missing"), b.slices().get(1).reason());
        // missing in the baseline fails the change check too
        Blessing r =
                PromotionGate.evaluate(
                        one(
                                MetricThreshold.changes(
                                        "zeroshot_cls",
                                        Direction.HIGHER_IS_BETTER,
                                        ChangeThreshold.absolute(Reference.BASELINE, -1.0))),
                        set(2, "zeroshot_cls", 0.5),
                        set(1, "other", 0.5),
                        null);
        assertFalse(r.passed());
        assertTrue(
                only(r, Check.Kind.ABSOLUTE_CHANGE).reason().contains("missing from the baseline"));
    }

    @Test
    void withoutABaselineOnlyValueAndBaseThresholdsApplyAndThatIsRecorded() {
        GateConfig g =
                new GateConfig(
                        List.of(
                                new MetricThreshold(
                                        "zeroshot_cls",
                                        "zeroshot/cls",
                                        Direction.HIGHER_IS_BETTER,
                                        0.25,
                                        null,
                                        List.of(
                                                ChangeThreshold.absolute(Reference.BASELINE, 0.0),
                                                ChangeThreshold.absolute(
                                                        Reference.BASE, -0.125)))));
        // 0.5 is far below any baseline it might have had; with none, only the value and base
        // checks count
        Blessing b =
                PromotionGate.evaluate(
                        g, set(2, "zeroshot_cls", 0.5), null, set(1, "zeroshot_cls", 0.5));
        assertTrue(b.passed());
        assertNull(b.baselineVersion());
        assertEquals(1, b.notes().size());
        assertTrue(b.notes().get(0).startsWith("no baseline"));
        assertTrue(b.checks().stream().noneMatch(c -> c.against() == Reference.BASELINE));
        assertEquals(1, b.checks().stream().filter(c -> c.against() == Reference.BASE).count());
        // the value threshold still bites
        assertFalse(PromotionGate.evaluate(g, set(2, "zeroshot_cls", 0.125), null, null).passed());
    }

    @Test
    void valueThresholdsAreInclusiveOnBothSides() {
        GateConfig g =
                one(
                        MetricThreshold.value(
                                "pope.popular.yes_ratio", Direction.LOWER_IS_BETTER, 0.25, 0.75));
        assertTrue(
                PromotionGate.evaluate(g, set(2, "pope.popular.yes_ratio", 0.25), null, null)
                        .passed());
        assertTrue(
                PromotionGate.evaluate(g, set(2, "pope.popular.yes_ratio", 0.75), null, null)
                        .passed());
        Blessing low =
                PromotionGate.evaluate(g, set(2, "pope.popular.yes_ratio", 0.125), null, null);
        assertFalse(low.passed());
        assertFalse(only(low, Check.Kind.VALUE_LOWER).passed());
        assertTrue(only(low, Check.Kind.VALUE_UPPER).passed());
        Blessing high =
                PromotionGate.evaluate(g, set(2, "pope.popular.yes_ratio", 0.875), null, null);
        assertFalse(high.passed());
        assertFalse(only(high, Check.Kind.VALUE_UPPER).passed());
    }

    @Test
    void unknownDirectionFailsClosed() {
        assertTrue(Direction.parse("sideways").isEmpty());
        assertEquals(Direction.LOWER_IS_BETTER, Direction.parse("lower").orElseThrow());
        GateConfig g =
                one(
                        new MetricThreshold(
                                "zeroshot_cls",
                                "zeroshot/cls",
                                null,
                                0.0,
                                1.0,
                                List.of(ChangeThreshold.absolute(Reference.BASELINE, -1.0))));
        Blessing b =
                PromotionGate.evaluate(
                        g, set(2, "zeroshot_cls", 0.5), set(1, "zeroshot_cls", 0.5), null);
        assertFalse(b.passed());
        assertFalse(only(b, Check.Kind.CONFIG).passed());
        assertFalse(only(b, Check.Kind.ABSOLUTE_CHANGE).passed());
    }

    @Test
    void anyFailingSliceBlocksAndEverySliceIsReported() {
        GateConfig g = GateConfig.defaults();
        MetricSet baseline =
                set(
                        5,
                        "zeroshot_cls",
                        0.75,
                        "zeroshot_seq",
                        0.25,
                        "pope.adversarial.fpr",
                        0.25,
                        "mmvp.pair_accuracy",
                        0.5);
        MetricSet base =
                set(
                        1,
                        "zeroshot_cls",
                        0.75,
                        "zeroshot_seq",
                        0.125,
                        "pope.adversarial.fpr",
                        0.375,
                        "mmvp.pair_accuracy",
                        0.375);
        // better everywhere except adversarial FPR up by 0.0625
        MetricSet cand =
                set(
                        6,
                        "zeroshot_cls",
                        0.8125,
                        "zeroshot_seq",
                        0.3125,
                        "pope.adversarial.fpr",
                        0.3125,
                        "mmvp.pair_accuracy",
                        0.625);
        Blessing b = PromotionGate.evaluate(g, cand, baseline, base);
        assertFalse(b.passed());
        assertEquals(
                List.of("zeroshot/cls", "zeroshot/seq", "pope/adversarial", "mmvp"),
                b.slices().stream().map(SliceVerdict::slice).toList());
        assertEquals(
                List.of(true, true, false, true),
                b.slices().stream().map(SliceVerdict::passed).toList());
        assertEquals(5, b.baselineVersion());
        assertTrue(b.notes().isEmpty());
        // CLS: within 0.01 of the baseline but more than 0.02 below the base → fails on the base
        // check alone
        MetricSet cls =
                set(
                        6,
                        "zeroshot_cls",
                        0.6875,
                        "zeroshot_seq",
                        0.3125,
                        "pope.adversarial.fpr",
                        0.25,
                        "mmvp.pair_accuracy",
                        0.625);
        MetricSet lowBaseline =
                set(
                        5,
                        "zeroshot_cls",
                        0.6875,
                        "zeroshot_seq",
                        0.25,
                        "pope.adversarial.fpr",
                        0.25,
                        "mmvp.pair_accuracy",
                        0.5);
        Blessing c = PromotionGate.evaluate(g, cls, lowBaseline, base);
        assertFalse(c.passed());
        List<Check> failed = c.checks().stream().filter(x -> !x.passed()).toList();
        assertEquals(1, failed.size());
        assertEquals(Reference.BASE, failed.get(0).against());
        assertEquals(-0.0625, failed.get(0).observed());
    }
}
