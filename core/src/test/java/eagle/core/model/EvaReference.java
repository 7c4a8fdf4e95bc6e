package eagle.core.model;

import java.util.Map;

/**
 * A plain-Java, double-precision forward of an EVA01-CLIP image tower written from EVA-CLIP's
 * description (core/EVA.md), independent of DJL, to check {@link EvaVisionTransformer} against: one
 * image (3, S, S) in, the head applied after the final norm to every token, (P+1, D) out; or the
 * tokens after {@code depth} blocks, (P+1, W).
 */
final class EvaReference {

    private final ClipConfig config;
    private final Map<String, float[]> p;

    EvaReference(ClipConfig config, Map<String, float[]> parameters) {
        this.config = config;
        this.p = parameters;
    }

    /** (P+1, D): row 0 the CLS feature, rows 1..P the patch features. */
    double[][] features(float[] image) {
        ClipConfig.VisionConfig v = config.vision();
        double[][] x = tokens(image, v.layers());
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double[] normed =
                    layerNorm(x[t], p.get("visual.norm.weight"), p.get("visual.norm.bias"));
            out[t] =
                    linear(
                            normed,
                            p.get("visual.head.weight"),
                            p.get("visual.head.bias"),
                            config.embedDim());
        }
        return out;
    }

    /** (P+1, W): the tokens after the first {@code depth} blocks. */
    double[][] tokens(float[] image, int depth) {
        ClipConfig.VisionConfig v = config.vision();
        int w = v.width();
        int ps = v.patchSize();
        int g = v.grid();
        int s = v.imageSize();
        float[] kernel = p.get("visual.patch_embed.proj.weight"); // (W, 3, p, p)
        float[] kernelBias = p.get("visual.patch_embed.proj.bias");
        float[] cls = p.get("visual.cls_token");
        float[] pos = p.get("visual.pos_embed"); // (1, P+1, W)
        double[][] x = new double[g * g + 1][w];
        for (int o = 0; o < w; o++) {
            x[0][o] = cls[o] + pos[o];
        }
        for (int gy = 0; gy < g; gy++) {
            for (int gx = 0; gx < g; gx++) {
                int token = 1 + gy * g + gx;
                for (int o = 0; o < w; o++) {
                    double sum = kernelBias[o];
                    for (int c = 0; c < 3; c++) {
                        for (int i = 0; i < ps; i++) {
                            for (int j = 0; j < ps; j++) {
                                sum +=
                                        kernel[((o * 3 + c) * ps + i) * ps + j]
                                                * image[(c * s + gy * ps + i) * s + gx * ps + j];
                            }
                        }
                    }
                    x[token][o] = sum + pos[token * w + o];
                }
            }
        }
        for (int b = 0; b < depth; b++) {
            x = block(x, "visual.blocks." + b + ".");
        }
        return x;
    }

    private double[][] block(double[][] x, String prefix) {
        ClipConfig.VisionConfig v = config.vision();
        int w = v.width();
        int heads = v.heads();
        int hw = w / heads;
        int t = x.length;
        float[] qb = p.get(prefix + "attn.q_bias");
        float[] vb = p.get(prefix + "attn.v_bias");
        float[] bias = new float[3 * w];
        System.arraycopy(qb, 0, bias, 0, w); // keys: no bias
        System.arraycopy(vb, 0, bias, 2 * w, w);
        double[][] qkv = new double[t][];
        for (int i = 0; i < t; i++) {
            double[] h =
                    layerNorm(x[i], p.get(prefix + "norm1.weight"), p.get(prefix + "norm1.bias"));
            qkv[i] = linear(h, p.get(prefix + "attn.qkv.weight"), bias, 3 * w);
        }
        double[][] mixed = new double[t][w];
        double scale = 1 / Math.sqrt(hw);
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < t; i++) {
                double[] scores = new double[t];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    double dot = 0;
                    for (int d = 0; d < hw; d++) {
                        dot += qkv[i][head * hw + d] * scale * qkv[j][w + head * hw + d];
                    }
                    scores[j] = dot;
                    max = Math.max(max, dot);
                }
                double total = 0;
                for (int j = 0; j < t; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    total += scores[j];
                }
                for (int j = 0; j < t; j++) {
                    for (int d = 0; d < hw; d++) {
                        mixed[i][head * hw + d] +=
                                scores[j] / total * qkv[j][2 * w + head * hw + d];
                    }
                }
            }
        }
        double[][] out = new double[t][];
        int m = EvaVisionTransformer.mlpWidth(v);
        for (int i = 0; i < t; i++) {
            double[] attn =
                    linear(
                            mixed[i],
                            p.get(prefix + "attn.proj.weight"),
                            p.get(prefix + "attn.proj.bias"),
                            w);
            double[] h = new double[w];
            for (int d = 0; d < w; d++) {
                h[d] = x[i][d] + attn[d];
            }
            double[] hidden =
                    linear(
                            layerNorm(
                                    h,
                                    p.get(prefix + "norm2.weight"),
                                    p.get(prefix + "norm2.bias")),
                            p.get(prefix + "mlp.fc1.weight"),
                            p.get(prefix + "mlp.fc1.bias"),
                            m);
            for (int d = 0; d < m; d++) {
                hidden[d] = 0.5 * hidden[d] * (1 + erf(hidden[d] / Math.sqrt(2))); // exact GELU
            }
            double[] mlp =
                    linear(
                            hidden,
                            p.get(prefix + "mlp.fc2.weight"),
                            p.get(prefix + "mlp.fc2.bias"),
                            w);
            out[i] = new double[w];
            for (int d = 0; d < w; d++) {
                out[i][d] = h[d] + mlp[d];
            }
        }
        return out;
    }

    private double[] layerNorm(double[] x, float[] gain, float[] shift) {
        double mean = 0;
        for (double value : x) {
            mean += value;
        }
        mean /= x.length;
        double var = 0;
        for (double value : x) {
            var += (value - mean) * (value - mean);
        }
        var /= x.length;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] =
                    (x[i] - mean) / Math.sqrt(var + config.vision().layerNormEps()) * gain[i]
                            + shift[i];
        }
        return out;
    }

    /** {@code weight (rows, in) · x + bias}. */
    private static double[] linear(double[] x, float[] weight, float[] bias, int rows) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sum = bias[r];
            for (int c = 0; c < x.length; c++) {
                sum += weight[r * x.length + c] * x[c];
            }
            out[r] = sum;
        }
        return out;
    }

    /** erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7). */
    static double erf(double z) {
        double t = 1 / (1 + 0.3275911 * Math.abs(z));
        double y =
                1
                        - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736)
                                                * t
                                        + 0.254829592)
                                * t
                                * Math.exp(-z * z);
        return Math.signum(z) * y;
    }
}
