package eagle.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static boolean[] bernoulli(int n, double p, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextDouble() < p;
        }
        return out;
    }

    @Test
    void containsPointEstimateAndNarrowsWithN() {
        var opt = new Bootstrap.Options(500, 0.95, 7);
        boolean[] small = bernoulli(200, 0.7, 1);
        boolean[] large = bernoulli(5000, 0.7, 2);
        var ciSmall = Bootstrap.fractionCi(small, opt);
        var ciLarge = Bootstrap.fractionCi(large, opt);
        assertTrue(ciSmall.contains(ZeroShot.fraction(small)), ciSmall.toString());
        assertTrue(ciLarge.contains(ZeroShot.fraction(large)), ciLarge.toString());
        // the width of a 95% interval of a proportion is about 2·1.96·√(p(1−p)/n):
        // n=200: ≈ 0.127; n=5000: ≈ 0.025
        assertEquals(2 * 1.96 * Math.sqrt(0.21 / 200), ciSmall.width(), 0.03);
        assertEquals(2 * 1.96 * Math.sqrt(0.21 / 5000), ciLarge.width(), 0.006);
        assertTrue(ciLarge.width() < ciSmall.width() / 3);
    }

    @Test
    void resamplesUnitsNotElementsAndIsSeeded() {
        // two units: unit 0 holds 9 yes-questions, unit 1 holds 1 no-question. Resampling units
        // gives
        // only the pooled fractions {9/9, 9/10, 18/19...}: with 2 units the possible samples are
        // {0,0}: 18/18 = 1, {0,1}: 9/10, {1,1}: 0/2 = 0 → every replicate is in {0, 0.9, 1}
        int[][] unitCounts = {{9, 9}, {0, 1}}; // (yes, questions) per unit
        var opt = new Bootstrap.Options(200, 0.95, 3);
        java.util.List<Double> seen = new java.util.ArrayList<>();
        Bootstrap.ci(
                2,
                s -> {
                    int yes = 0;
                    int q = 0;
                    for (int u : s) {
                        yes += unitCounts[u][0];
                        q += unitCounts[u][1];
                    }
                    double v = (double) yes / q;
                    seen.add(v);
                    return v;
                },
                opt);
        for (double v : seen) {
            assertTrue(v == 0 || v == 0.9 || v == 1, "replicate " + v);
        }
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        assertEquals(Bootstrap.meanCi(x, opt), Bootstrap.meanCi(x, opt));
    }

    @Test
    void pairedDifferenceIsAsWideAsTheDisagreementsNotTheAccuracies() {
        var opt = new Bootstrap.Options(2000, 0.95, 3);
        // two encoders right on the same half of 300 items, except 10 items where they disagree:
        // a wins 4, b wins 6, so the difference is −2/300
        int n = 300;
        boolean[] b = bernoulli(n, 0.5, 4);
        boolean[] a = b.clone();
        int flipped = 0;
        for (int i = 0; i < n && flipped < 10; i++) {
            if (b[i] == (flipped < 6)) { // the first 6 flips turn a right answer of b's wrong
                a[i] = !b[i];
                flipped++;
            }
        }
        var paired = Bootstrap.pairedDifferenceCi(a, b, opt);
        double d = (ZeroShot.fraction(a) - ZeroShot.fraction(b));
        assertEquals(-2.0 / n, d, 1e-12);
        assertTrue(paired.contains(d), paired.toString());
        // normal approximation of the mean of d_i ∈ {−1, 0, 1}: var = (10/n − d²)/n
        double halfWidth = 1.96 * Math.sqrt((10.0 / n - d * d) / n); // ≈ 0.0205
        assertEquals(2 * halfWidth, paired.width(), 0.012);
        // each accuracy alone is uncertain by about ±0.057, which a comparison of the two
        // intervals would add up
        assertTrue(Bootstrap.fractionCi(a, opt).width() > 2.5 * paired.width());
        // identical outcomes differ by exactly 0, all against none by exactly 1
        assertEquals(new Bootstrap.Interval(0, 0), Bootstrap.pairedDifferenceCi(b, b, opt));
        boolean[] all = new boolean[n];
        java.util.Arrays.fill(all, true);
        assertEquals(
                new Bootstrap.Interval(1, 1),
                Bootstrap.pairedDifferenceCi(all, new boolean[n], opt));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> Bootstrap.pairedDifferenceCi(a, new boolean[n - 1], opt));
    }

    @Test
    void quantileInterpolates() {
        // h = (n−1)q = 3·0.5 = 1.5 → 2 + 0.5·(3−2) = 2.5
        assertEquals(2.5, Bootstrap.quantile(new double[] {1, 2, 3, 4}, 0.5), 1e-12);
        // h = 3·0.025 = 0.075 → 1 + 0.075·1
        assertEquals(1.075, Bootstrap.quantile(new double[] {1, 2, 3, 4}, 0.025), 1e-12);
    }
}
