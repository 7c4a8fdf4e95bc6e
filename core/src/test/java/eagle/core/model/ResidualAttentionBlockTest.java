package eagle.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One block against a plain-Java evaluation of OpenAI CLIP's block in double precision: pre-LN,
 * multi-head attention with PyTorch's packed in_proj layout (rows q, k, v; head h owns dimensions
 * h·W/H .. (h+1)·W/H), then the MLP.
 */
class ResidualAttentionBlockTest {

    static final int B = 2;
    static final int T = 3;
    static final int W = 4;
    static final int H = 2;
    static final int HIDDEN = 8;

    @ParameterizedTest
    @CsvSource({"QUICK_GELU, false", "GELU, false", "QUICK_GELU, true"})
    void matchesAnIndependentEvaluation(ClipConfig.Activation activation, boolean causal) {
        Random random = new Random(11);
        Map<String, double[]> values = new HashMap<>();
        Map<String, long[]> shapes =
                new java.util.TreeMap<>(
                        Map.ofEntries(
                                Map.entry("ln_1.weight", new long[] {W}),
                                        Map.entry("ln_1.bias", new long[] {W}),
                                Map.entry("attn.in_proj_weight", new long[] {3 * W, W}),
                                        Map.entry("attn.in_proj_bias", new long[] {3 * W}),
                                Map.entry("attn.out_proj.weight", new long[] {W, W}),
                                        Map.entry("attn.out_proj.bias", new long[] {W}),
                                Map.entry("ln_2.weight", new long[] {W}),
                                        Map.entry("ln_2.bias", new long[] {W}),
                                Map.entry("mlp.c_fc.weight", new long[] {HIDDEN, W}),
                                        Map.entry("mlp.c_fc.bias", new long[] {HIDDEN}),
                                Map.entry("mlp.c_proj.weight", new long[] {W, HIDDEN}),
                                        Map.entry(
                                                "mlp.c_proj.bias",
                                                new long[] {
                                                    W
                                                }))); // sorted, so the draws are reproducible
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> parameters = new HashMap<>();
            shapes.forEach(
                    (name, shape) -> {
                        int n = (int) new Shape(shape).size();
                        double[] v = new double[n];
                        for (int i = 0; i < n; i++) {
                            v[i] =
                                    random.nextGaussian() * 0.7
                                            + (name.endsWith("ln_1.weight") ? 1 : 0);
                        }
                        values.put(name, v);
                        parameters.put("blk." + name, manager.create(v, new Shape(shape)));
                    });
            double[] x = new double[B * T * W];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextGaussian();
            }
            ResidualAttentionBlock block =
                    new ResidualAttentionBlock(parameters, "blk.", H, activation, 1e-5);
            NDArray mask = causal ? TextTransformer.causalMask(manager, T, DataType.FLOAT64) : null;
            double[] actual =
                    block.forward(manager.create(x, new Shape(B, T, W)), mask).toDoubleArray();

            for (int b = 0; b < B; b++) {
                double[][] tokens = new double[T][];
                for (int t = 0; t < T; t++) {
                    tokens[t] =
                            java.util.Arrays.copyOfRange(x, (b * T + t) * W, (b * T + t + 1) * W);
                }
                double[][] expected = reference(tokens, values, activation, causal);
                for (int t = 0; t < T; t++) {
                    for (int w = 0; w < W; w++) {
                        assertEquals(
                                expected[t][w],
                                actual[(b * T + t) * W + w],
                                1e-6,
                                b + "," + t + "," + w);
                    }
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void referenceErfIsAccurate() {
        // erf(0.5), erf(1), erf(2), erf(3), erf(5) to 15 digits (Abramowitz & Stegun, table 7.1)
        assertEquals(0.520499877813047, erf(0.5), 1e-14);
        assertEquals(0.842700792949715, erf(1), 1e-14);
        assertEquals(0.995322265018953, erf(2), 1e-14);
        assertEquals(0.999977909503001, erf(3), 1e-14);
        assertEquals(-0.999999999998463, erf(-5), 1e-14);
    }

    private static double[][] reference(
            double[][] x,
            Map<String, double[]> p,
            ClipConfig.Activation activation,
            boolean causal) {
        int hd = W / H;
        double[][] h = new double[T][];
        double[][] q = new double[T][];
        double[][] k = new double[T][];
        double[][] v = new double[T][];
        for (int t = 0; t < T; t++) {
            double[] n = layerNorm(x[t], p.get("ln_1.weight"), p.get("ln_1.bias"));
            double[] qkv =
                    affine(n, p.get("attn.in_proj_weight"), p.get("attn.in_proj_bias"), 3 * W);
            q[t] = java.util.Arrays.copyOfRange(qkv, 0, W);
            k[t] = java.util.Arrays.copyOfRange(qkv, W, 2 * W);
            v[t] = java.util.Arrays.copyOfRange(qkv, 2 * W, 3 * W);
        }
        for (int t = 0; t < T; t++) {
            double[] mixed = new double[W];
            for (int head = 0; head < H; head++) {
                double[] scores = new double[T];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < T; s++) {
                    double dot = 0;
                    for (int d = head * hd; d < (head + 1) * hd; d++) {
                        dot += q[t][d] * k[s][d];
                    }
                    scores[s] = causal && s > t ? Double.NEGATIVE_INFINITY : dot / Math.sqrt(hd);
                    max = Math.max(max, scores[s]);
                }
                double total = 0;
                for (int s = 0; s < T; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    total += scores[s];
                }
                for (int s = 0; s < T; s++) {
                    for (int d = head * hd; d < (head + 1) * hd; d++) {
                        mixed[d] += scores[s] / total * v[s][d];
                    }
                }
            }
            double[] attended =
                    affine(mixed, p.get("attn.out_proj.weight"), p.get("attn.out_proj.bias"), W);
            h[t] = new double[W];
            for (int w = 0; w < W; w++) {
                h[t][w] = x[t][w] + attended[w];
            }
        }
        double[][] out = new double[T][W];
        for (int t = 0; t < T; t++) {
            double[] hidden =
                    affine(
                            layerNorm(h[t], p.get("ln_2.weight"), p.get("ln_2.bias")),
                            p.get("mlp.c_fc.weight"),
                            p.get("mlp.c_fc.bias"),
                            HIDDEN);
            for (int i = 0; i < HIDDEN; i++) {
                double z = hidden[i];
                hidden[i] =
                        activation == ClipConfig.Activation.QUICK_GELU
                                ? z / (1 + Math.exp(-1.702 * z))
                                : 0.5 * z * (1 + erf(z / Math.sqrt(2)));
            }
            double[] mlp = affine(hidden, p.get("mlp.c_proj.weight"), p.get("mlp.c_proj.bias"), W);
            for (int w = 0; w < W; w++) {
                out[t][w] = h[t][w] + mlp[w];
            }
        }
        return out;
    }

    /** {@code weight (out, in) · x + bias}, as torch.nn.Linear. */
    private static double[] affine(double[] x, double[] weight, double[] bias, int out) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            y[o] = bias[o];
            for (int i = 0; i < x.length; i++) {
                y[o] += weight[o * x.length + i] * x[i];
            }
        }
        return y;
    }

    private static double[] layerNorm(double[] x, double[] gamma, double[] beta) {
        double mean = java.util.Arrays.stream(x).average().orElseThrow();
        double variance =
                java.util.Arrays.stream(x)
                        .map(v -> (v - mean) * (v - mean))
                        .average()
                        .orElseThrow();
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (x[i] - mean) / Math.sqrt(variance + 1e-5) * gamma[i] + beta[i];
        }
        return y;
    }

    /**
     * erf: its Maclaurin series for |z| < 2.5, else {@code 1 − erfc} with erfc by its continued
     * fraction {@code erfc(z) = e^{−z²}/√π / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...))))}; both well
     * below 1e-12 here.
     */
    private static double erf(double z) {
        if (Math.abs(z) >= 2.5) {
            double a = Math.abs(z);
            double fraction = a;
            for (int n = 80; n >= 1; n--) {
                fraction = a + (n / 2.0) / fraction;
            }
            double erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / fraction;
            return Math.signum(z) * (1 - erfc);
        }
        double sum = 0;
        double term = z;
        for (int n = 0; n < 100; n++) {
            sum += term / (2 * n + 1);
            term *= -z * z / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
