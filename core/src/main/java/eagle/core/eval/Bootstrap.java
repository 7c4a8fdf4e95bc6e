package eagle.core.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap confidence intervals over units (images, or image pairs), as TFMA's
 * bootstrap does it: draw n units with replacement, recompute the statistic, repeat R times and
 * take the (1−level)/2 and (1+level)/2 quantiles of the R values (linear interpolation between
 * order statistics, R-7). Resampling is over units, never over the questions inside one unit, so
 * questions about the same image stay together. The RNG is seeded, so an interval is reproducible.
 */
public final class Bootstrap {

    private Bootstrap() {}

    /** A closed interval [lower, upper]. */
    public record Interval(double lower, double upper) {
        public boolean contains(double v) {
            return v >= lower && v <= upper;
        }

        public double width() {
            return upper - lower;
        }
    }

    /**
     * Resampling settings.
     *
     * @param resamples R, number of bootstrap replicates (default 1000)
     * @param level confidence level (default 0.95)
     * @param seed RNG seed (default 0)
     */
    public record Options(int resamples, double level, long seed) {
        public Options {
            if (resamples < 1) {
                throw new IllegalArgumentException("resamples must be positive, got " + resamples);
            }
            if (!(level > 0 && level < 1)) {
                throw new IllegalArgumentException("level must be in (0, 1), got " + level);
            }
        }

        public static Options defaults() {
            return new Options(1000, 0.95, 0L);
        }

        /** The same resamples and seed at another confidence level. */
        public Options withLevel(double value) {
            return new Options(resamples, value, seed);
        }
    }

    /**
     * Intervals of several statistics computed from the same resamples.
     *
     * @param units n, the number of units
     * @param statistics maps a resample (n unit indices, drawn with replacement) to K values
     * @return K intervals; a statistic whose replicates are all NaN gets [NaN, NaN], NaN replicates
     *     are otherwise dropped
     */
    public static Interval[] cis(int units, Function<int[], double[]> statistics, Options options) {
        if (units < 1) {
            throw new IllegalArgumentException("bootstrap needs at least one unit");
        }
        SplittableRandom rng = new SplittableRandom(options.seed());
        double[][] reps = null; // (K, R)
        int[] sample = new int[units];
        for (int r = 0; r < options.resamples(); r++) {
            for (int i = 0; i < units; i++) {
                sample[i] = rng.nextInt(units);
            }
            double[] v = statistics.apply(sample);
            if (reps == null) {
                reps = new double[v.length][options.resamples()];
            }
            for (int k = 0; k < v.length; k++) {
                reps[k][r] = v[k];
            }
        }
        Interval[] out = new Interval[reps.length];
        double alpha = (1 - options.level()) / 2;
        for (int k = 0; k < reps.length; k++) {
            double[] finite =
                    Arrays.stream(reps[k]).filter(x -> !Double.isNaN(x)).sorted().toArray();
            out[k] =
                    finite.length == 0
                            ? new Interval(Double.NaN, Double.NaN)
                            : new Interval(quantile(finite, alpha), quantile(finite, 1 - alpha));
        }
        return out;
    }

    /** The interval of one statistic. */
    public static Interval ci(int units, ToDoubleFunction<int[]> statistic, Options options) {
        return cis(units, s -> new double[] {statistic.applyAsDouble(s)}, options)[0];
    }

    /** The interval of the mean of per-unit values (e.g. 1/0 correctness per image). */
    public static Interval meanCi(double[] perUnit, Options options) {
        ToDoubleFunction<int[]> mean =
                s -> {
                    double sum = 0;
                    for (int i : s) {
                        sum += perUnit[i];
                    }
                    return sum / s.length;
                };
        return ci(perUnit.length, mean, options);
    }

    /** The interval of the fraction of true per-unit outcomes. */
    public static Interval fractionCi(boolean[] perUnit, Options options) {
        double[] v = new double[perUnit.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = perUnit[i] ? 1 : 0;
        }
        return meanCi(v, options);
    }

    /**
     * The interval of the mean paired difference mean_i(a_i − b_i) of two encoders' outcomes on the
     * same units: each resample draws units, and both outcomes of a drawn unit come along, so what
     * the two have in common (the items both get right or both get wrong) does not widen the
     * interval as it does when the two intervals are taken apart.
     *
     * @param a the first encoder's outcome per unit, (n)
     * @param b the second's on the same units in the same order, (n)
     * @throws IllegalArgumentException when the lengths differ or are 0
     */
    public static Interval pairedDifferenceCi(boolean[] a, boolean[] b, Options options) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException(
                    "paired outcomes need the same non-zero number of units, got "
                            + a.length
                            + " and "
                            + b.length);
        }
        double[] d = new double[a.length]; // (n), each −1, 0 or 1
        for (int i = 0; i < d.length; i++) {
            d[i] = (a[i] ? 1 : 0) - (b[i] ? 1 : 0);
        }
        return meanCi(d, options);
    }

    /** Quantile q of sorted values, linear interpolation between order statistics. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
