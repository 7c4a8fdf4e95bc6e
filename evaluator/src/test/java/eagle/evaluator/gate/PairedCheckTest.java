package eagle.evaluator.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.eval.Bootstrap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Paired change thresholds: a difference of a few items on a few hundred passes "not below", a
 * clear loss does not, a point-value check would have refused the first, and missing or mismatched
 * outcomes fail closed.
 */
class PairedCheckTest {

    private static final String MMVP = "mmvp.pair_accuracy";
    private static final int N = 300;

    private static GateConfig notBelow(Reference against) {
        return new GateConfig(
                List.of(
                        MetricThreshold.changes(
                                MMVP,
                                Direction.HIGHER_IS_BETTER,
                                ChangeThreshold.paired(against, 0.0))));
    }

    /** The first {@code right} of N items right. */
    private static boolean[] firstRight(int right) {
        boolean[] out = new boolean[N];
        for (int i = 0; i < right; i++) {
            out[i] = true;
        }
        return out;
    }

    private static MetricSet set(Integer version, boolean[] outcomes) {
        int right = 0;
        for (boolean ok : outcomes) {
            right += ok ? 1 : 0;
        }
        return new MetricSet(
                version,
                "sha" + version,
                Map.of(MMVP, (double) right / outcomes.length),
                Map.of(MMVP, outcomes));
    }

    private static Check paired(Blessing b) {
        List<Check> c =
                b.checks().stream().filter(x -> x.kind() == Check.Kind.PAIRED_CHANGE).toList();
        assertEquals(1, c.size(), b.checks().toString());
        return c.get(0);
    }

    @Test
    void aLossOfAFewItemsIsNotShownAndPassesAClearLossFails() {
        boolean[] baseline = firstRight(150);
        // the candidate loses 3 items and wins 1 elsewhere: diff −2/300, as the rounds' MMVP was
        boolean[] close = baseline.clone();
        close[0] = close[1] = close[2] = false;
        close[200] = true;
        Blessing b =
                PromotionGate.evaluate(
                        notBelow(Reference.BASELINE), set(2, close), set(1, baseline), null);
        assertTrue(b.passed(), b.checks().toString());
        Check c = paired(b);
        Bootstrap.Interval iv =
                Bootstrap.pairedDifferenceCi(close, baseline, Bootstrap.Options.defaults());
        assertEquals(iv.upper(), c.observed(), "the compared end of the interval");
        assertTrue(iv.upper() >= 0 && iv.contains(-2.0 / N), iv.toString());
        assertTrue(c.reason().contains("paired diff vs baseline v1 = -0.0067"), c.reason());
        assertTrue(c.reason().contains("over 300 items"), c.reason());
        // the same values on a point-value threshold refuse the candidate
        GateConfig point =
                new GateConfig(
                        List.of(
                                MetricThreshold.changes(
                                        MMVP,
                                        Direction.HIGHER_IS_BETTER,
                                        ChangeThreshold.absolute(Reference.BASELINE, 0.0))));
        assertFalse(PromotionGate.evaluate(point, set(2, close), set(1, baseline), null).passed());
        // 30 items lost and none won is shown: the interval lies below 0
        boolean[] worse = baseline.clone();
        for (int i = 0; i < 30; i++) {
            worse[i] = false;
        }
        Blessing w =
                PromotionGate.evaluate(
                        notBelow(Reference.BASELINE), set(2, worse), set(1, baseline), null);
        assertFalse(w.passed());
        assertTrue(paired(w).reason().contains("upper end not ≥ 0.0"), paired(w).reason());
        // against the base the same rule applies
        assertFalse(
                PromotionGate.evaluate(
                                notBelow(Reference.BASE), set(2, worse), null, set(null, baseline))
                        .passed());
    }

    @Test
    void lowerIsBetterReadsTheLowerEnd() {
        GateConfig g =
                new GateConfig(
                        List.of(
                                MetricThreshold.changes(
                                        MMVP,
                                        Direction.LOWER_IS_BETTER,
                                        ChangeThreshold.paired(Reference.BASELINE, 0.0))));
        boolean[] baseline = firstRight(150);
        boolean[] more = baseline.clone();
        for (int i = 150; i < 180; i++) {
            more[i] = true; // 30 more "errors" of a lower-is-better rate: shown above
        }
        assertFalse(PromotionGate.evaluate(g, set(2, more), set(1, baseline), null).passed());
        assertTrue(PromotionGate.evaluate(g, set(2, baseline), set(1, more), null).passed());
    }

    @Test
    void withoutComparableOutcomesItFailsClosed() {
        boolean[] baseline = firstRight(150);
        MetricSet noOutcomes = new MetricSet(2, "sha2", Map.of(MMVP, 0.9));
        Blessing none =
                PromotionGate.evaluate(
                        notBelow(Reference.BASELINE), noOutcomes, set(1, baseline), null);
        assertFalse(none.passed());
        assertTrue(paired(none).reason().contains("the candidate has none"), paired(none).reason());
        MetricSet shorter = set(2, java.util.Arrays.copyOf(baseline, N - 1));
        Blessing other =
                PromotionGate.evaluate(
                        notBelow(Reference.BASELINE), shorter, set(1, baseline), null);
        assertFalse(other.passed());
        assertTrue(
                paired(other).reason().contains("not the same suite items"),
                paired(other).reason());
        // a paired bound is absolute only
        assertThrows(
                IllegalArgumentException.class,
                () -> new ChangeThreshold(Reference.BASELINE, null, 0.1, true));
    }

    @Test
    void theDefaultGatePairsSeqMmvpAndAdversarialFprAgainstBaselineAndBase() {
        for (String metric : List.of("zeroshot_seq", MMVP, "pope.adversarial.fpr")) {
            List<ChangeThreshold> changes =
                    GateConfig.defaults().thresholds().stream()
                            .filter(t -> t.metric().equals(metric))
                            .findFirst()
                            .orElseThrow()
                            .changes();
            assertTrue(changes.stream().allMatch(ChangeThreshold::paired), metric);
            assertEquals(
                    List.of(Reference.BASELINE, Reference.BASE),
                    changes.stream().map(ChangeThreshold::against).toList(),
                    metric);
        }
        // CLS keeps its point-value margins, which the suite-precision note reads
        assertFalse(
                GateConfig.defaults().thresholds().get(0).changes().stream()
                        .anyMatch(ChangeThreshold::paired));
    }

    @Test
    void thePairedIntervalUsesTheSuitesResamplesAndSeed() {
        boolean[] baseline = firstRight(150);
        boolean[] close = baseline.clone(); // 12 items lost, 6 won: an interval with room to vary
        for (int i = 0; i < 12; i++) {
            close[i] = false;
        }
        for (int i = 200; i < 206; i++) {
            close[i] = true;
        }
        Bootstrap.Options suite = new Bootstrap.Options(200, 0.95, 7L);
        Check c =
                paired(
                        PromotionGate.evaluate(
                                notBelow(Reference.BASELINE),
                                set(2, close),
                                set(1, baseline),
                                null,
                                suite));
        double withSuite = Bootstrap.pairedDifferenceCi(close, baseline, suite).upper();
        double withDefaults =
                Bootstrap.pairedDifferenceCi(close, baseline, Bootstrap.Options.defaults()).upper();
        assertEquals(withSuite, c.observed());
        assertTrue(withSuite != withDefaults, "the two option sets draw different intervals");
    }
}
