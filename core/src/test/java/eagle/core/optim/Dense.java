package eagle.core.optim;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.ejml.simple.SimpleMatrix;
import org.ejml.simple.SimpleSVD;

/**
 * Plain double-array linear algebra for hand computations in tests, independent of the code under
 * test.
 */
final class Dense {

    private Dense() {}

    static double[][] of(NDArray a) {
        long[] s = a.getShape().getShape();
        float[] v = a.toFloatArray();
        int m = (int) s[0];
        int n = s.length == 1 ? 1 : (int) s[1];
        double[][] out = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = v[i * n + j];
            }
        }
        return out;
    }

    static float[] flat(double[][] a) {
        float[] out = new float[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[i * a[0].length + j] = (float) a[i][j];
            }
        }
        return out;
    }

    static double[][] mul(double[][] a, double[][] b) {
        int m = a.length;
        int k = b.length;
        int n = b[0].length;
        if (a[0].length != k) {
            throw new IllegalArgumentException("inner dimensions differ");
        }
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int l = 0; l < k; l++) {
                    s += a[i][l] * b[l][j];
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    static double[][] t(double[][] a) {
        double[][] c = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[j][i] = a[i][j];
            }
        }
        return c;
    }

    static double[][] random(int m, int n, Random rnd) {
        double[][] a = new double[m][n];
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return a;
    }

    /** Q diag(σ) Pᵀ + noise·N with random orthonormal Q (m×k), P (n×k): a clear spectral gap. */
    static double[][] withSpectrum(int m, int n, double[] sigma, double noise, Random rnd) {
        int k = sigma.length;
        double[][] q = toArray(new SimpleMatrix(RandomMatrices_DDRM.orthogonal(m, k, rnd)));
        double[][] p = toArray(new SimpleMatrix(RandomMatrices_DDRM.orthogonal(n, k, rnd)));
        double[][] qs = new double[m][k];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                qs[i][j] = q[i][j] * sigma[j];
            }
        }
        double[][] g = mul(qs, t(p));
        double[][] e = random(m, n, rnd);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                g[i][j] += noise * e[i][j];
            }
        }
        return g;
    }

    /**
     * Top-r left (side LEFT) or right (side RIGHT) singular vectors as columns, by an EJML
     * SimpleSVD.
     */
    static double[][] topSingularColumns(double[][] g, int r, boolean right) {
        SimpleSVD<SimpleMatrix> svd = new SimpleMatrix(g).svd(true);
        double[] w = svd.getSingularValues();
        Integer[] order = IntStream.range(0, w.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> -w[i]));
        double[][] full = toArray(right ? svd.getV() : svd.getU());
        double[][] out = new double[full.length][r];
        for (int i = 0; i < full.length; i++) {
            for (int j = 0; j < r; j++) {
                out[i][j] = full[i][order[j]];
            }
        }
        return out;
    }

    /**
     * Cosines of the principal angles between span(columns of a) and span(columns of b), both
     * orthonormal.
     */
    static double[] principalCosines(double[][] a, double[][] b) {
        return new SimpleMatrix(mul(t(a), b)).svd(true).getSingularValues();
    }

    static double[][] toArray(SimpleMatrix m) {
        double[][] out = new double[m.getNumRows()][m.getNumCols()];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[0].length; j++) {
                out[i][j] = m.get(i, j);
            }
        }
        return out;
    }

    static double maxAbsDiff(double[][] a, double[][] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return d;
    }
}
