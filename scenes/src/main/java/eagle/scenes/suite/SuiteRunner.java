package eagle.scenes.suite;

import eagle.core.eval.Bootstrap;
import eagle.core.eval.MmvpScore;
import eagle.core.eval.PopeMetrics;
import eagle.core.eval.ThresholdCalibration;
import eagle.core.eval.Vectors;
import eagle.core.eval.ZeroShot;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.PatchCoverage;
import eagle.core.method.MaskedAveragePooling;
import eagle.scenes.Scene;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link HeldOutSet} ({@link Suite} or {@link CocoSuite}) against a {@link SuiteEncoder}
 * (docs/METHOD.md §6). With t_c the normalised text feature of the prompt of class c, ĝ the
 * normalised CLS feature and Ŝ_p the normalised patch features (P patches):
 *
 * <ul>
 *   <li>zeroshot_cls = accuracy of argmax_c cos(g, t_c) (g of the item's CLS image); zeroshot_seq =
 *       accuracy of argmax_c cos((1/P) Σ_p S_p, t_c), or, for an item with a mask, of the masked
 *       average of its patches ({@link ZeroShotItem}).
 *   <li>POPE: score(image, c) = max_p cos(S_p, t_c); answer yes iff score &gt; τ, τ chosen by
 *       {@link ThresholdCalibration#balanced} (as many yes answers as true questions: no yes-bias,
 *       the same operating point for every encoder) on the calibration split's questions of all
 *       three negative samplings pooled. Per split: accuracy, precision, recall, f1, fpr, yes_ratio
 *       ({@link PopeMetrics}).
 *   <li>MMVP: sim(statement, image) by {@link MmvpRepresentation} (default MAX_PATCH, the same
 *       max-over-patches cosine POPE uses); a pair counts iff both statements score higher on their
 *       own image ({@link MmvpScore}).
 *   <li>95% percentile-bootstrap intervals ({@link Bootstrap}) resampling images (zero-shot, POPE,
 *       with all of an image's questions) or pairs (MMVP); the threshold stays fixed.
 * </ul>
 *
 * Images are encoded in batches of {@code batchSize}; only (B, C) scores are kept, never all
 * patches.
 */
public final class SuiteRunner {

    /** Which image representation scores an MMVP statement. */
    public enum MmvpRepresentation {
        /** cos(g, t). */
        CLS,
        /** cos((1/P) Σ_p S_p, t). */
        MEAN_PATCH,
        /** max_p cos(S_p, t). */
        MAX_PATCH
    }

    /**
     * @param batchSize images per encoder call (default 64)
     * @param mmvp MMVP representation (default MAX_PATCH)
     * @param bootstrap resamples, level, seed (default 1000, 0.95, 0)
     */
    public record Options(int batchSize, MmvpRepresentation mmvp, Bootstrap.Options bootstrap) {
        public Options {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
            }
        }

        public static Options defaults() {
            return new Options(64, MmvpRepresentation.MAX_PATCH, Bootstrap.Options.defaults());
        }
    }

    private SuiteRunner() {}

    public static SuiteResult run(SuiteEncoder encoder, HeldOutSet suite) {
        return run(encoder, suite, Options.defaults());
    }

    public static SuiteResult run(SuiteEncoder encoder, HeldOutSet suite, Options opt) {
        List<String> prompts = suite.classPrompts();
        float[][] text =
                Vectors.normalizedRows(
                        checkRows(
                                encoder.texts(prompts),
                                prompts.size(),
                                "texts(class prompts)")); // (C, D)
        int d = text[0].length;
        Map<String, Bootstrap.Interval> ci = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();

        // zero-shot: CLS of clsImage; Seq = mean (no mask) or masked average (docs/METHOD.md §2) of
        // image's patches
        List<ZeroShotItem> items = suite.zeroShotItems();
        float[][] cls = new float[items.size()][];
        float[][] seq = new float[items.size()][];
        for (int from = 0; from < items.size(); from += opt.batchSize()) {
            List<ZeroShotItem> batch =
                    items.subList(from, Math.min(items.size(), from + opt.batchSize()));
            List<BufferedImage> clsImages = batch.stream().map(ZeroShotItem::clsImage).toList();
            List<BufferedImage> patchImages = batch.stream().map(ZeroShotItem::image).toList();
            float[][] g =
                    checkRows(encoder.imageCls(clsImages), batch.size(), "imageCls"); // (B, D)
            float[][][] s =
                    checkPatches(encoder.imagePatches(patchImages), batch.size(), d); // (B, P, D)
            for (int b = 0; b < batch.size(); b++) {
                cls[from + b] = g[b];
                BinaryMask mask = batch.get(b).mask();
                seq[from + b] =
                        mask == null
                                ? Vectors.meanRow(s[b])
                                : maskedMean(s[b], mask, encoder.inputSize()); // (D)
            }
        }
        int[] labels = items.stream().mapToInt(ZeroShotItem::label).toArray();
        boolean[] clsOk = ZeroShot.correct(cls, text, labels);
        boolean[] seqOk = ZeroShot.correct(seq, text, labels);
        ci.put("zeroshot_cls", Bootstrap.fractionCi(clsOk, opt.bootstrap()));
        ci.put("zeroshot_seq", Bootstrap.fractionCi(seqOk, opt.bootstrap()));
        counts.put("zeroshot_images", labels.length); // items: one per instance for a COCO suite

        // POPE: calibrate τ, then score the three splits
        double[][] calScores =
                maxPatchScores(encoder, images(suite.calibration().images()), text, opt); // (B, C)
        List<Double> cs = new ArrayList<>();
        List<Boolean> ct = new ArrayList<>();
        for (NegativeSampling n : NegativeSampling.values()) {
            for (PopeQuestion q : suite.calibration().questions(n)) {
                cs.add(calScores[q.imageIndex()][q.classId()]);
                ct.add(q.truth());
            }
        }
        ThresholdCalibration.Calibration cal =
                ThresholdCalibration.balanced(
                        cs.stream().mapToDouble(Double::doubleValue).toArray(), toArray(ct));
        double tau = cal.threshold();
        counts.put("calibration_images", suite.calibration().images().size());
        counts.put("calibration_questions", cs.size());

        List<Scene> popeImages = suite.pope().images();
        double[][] scores = maxPatchScores(encoder, images(popeImages), text, opt); // (B, C)
        Map<NegativeSampling, PopeMetrics> pope = new EnumMap<>(NegativeSampling.class);
        Map<String, boolean[]> yesToAbsent = new LinkedHashMap<>(); // per absent-object question
        for (NegativeSampling n : NegativeSampling.values()) {
            List<PopeQuestion> qs = suite.pope().questions(n);
            boolean[] answers = new boolean[qs.size()];
            boolean[] truth = new boolean[qs.size()];
            long[][] perImage = new long[popeImages.size()][4]; // (B, [tp, fp, tn, fn])
            for (int i = 0; i < qs.size(); i++) {
                PopeQuestion q = qs.get(i);
                answers[i] = scores[q.imageIndex()][q.classId()] > tau;
                truth[i] = q.truth();
                perImage[q.imageIndex()][answers[i] ? (truth[i] ? 0 : 1) : (truth[i] ? 3 : 2)]++;
            }
            pope.put(n, PopeMetrics.of(answers, truth));
            yesToAbsent.put(fprOutcome(n), yesToAbsent(answers, truth));
            Bootstrap.Interval[] iv =
                    Bootstrap.cis(
                            popeImages.size(),
                            sample -> {
                                long[] c = new long[4];
                                for (int b : sample) {
                                    for (int k = 0; k < 4; k++) {
                                        c[k] += perImage[b][k];
                                    }
                                }
                                if (c[0] + c[1] + c[2] + c[3] == 0) {
                                    return nans(PopeMetrics.NAMES.size());
                                }
                                PopeMetrics m = PopeMetrics.fromCounts(c[0], c[1], c[2], c[3]);
                                return PopeMetrics.NAMES.stream().mapToDouble(m::get).toArray();
                            },
                            opt.bootstrap());
            for (int k = 0; k < iv.length; k++) {
                ci.put("pope." + n.key() + "." + PopeMetrics.NAMES.get(k), iv[k]);
            }
            counts.put("pope_questions_" + n.key(), qs.size());
        }
        counts.put("pope_images", popeImages.size());

        // MMVP
        List<MmvpPair> pairs = suite.mmvp();
        List<String> statements = new ArrayList<>();
        List<BufferedImage> pairImages = new ArrayList<>();
        for (MmvpPair p : pairs) {
            statements.add(p.firstStatement());
            statements.add(p.secondStatement());
            pairImages.add(p.first().image());
            pairImages.add(p.second().image());
        }
        float[][] st =
                Vectors.normalizedRows(
                        checkRows(
                                encoder.texts(statements),
                                statements.size(),
                                "texts(statements)")); // (2K, D)
        double[][][] pairScores = new double[pairs.size()][2][2]; // (K, statement, image)
        for (int from = 0; from < pairImages.size(); from += 2 * Math.max(1, opt.batchSize() / 2)) {
            List<BufferedImage> batch =
                    pairImages.subList(
                            from,
                            Math.min(
                                    pairImages.size(),
                                    from + 2 * Math.max(1, opt.batchSize() / 2)));
            float[][] g =
                    opt.mmvp() == MmvpRepresentation.CLS
                            ? checkRows(encoder.imageCls(batch), batch.size(), "imageCls")
                            : null; // (B, D)
            float[][][] s =
                    opt.mmvp() == MmvpRepresentation.CLS
                            ? null
                            : checkPatches(
                                    encoder.imagePatches(batch), batch.size(), d); // (B, P, D)
            for (int b = 0; b < batch.size(); b++) {
                int img = from + b;
                int k = img / 2;
                for (int i = 0; i < 2; i++) {
                    float[] t = st[2 * k + i];
                    pairScores[k][i][img % 2] =
                            switch (opt.mmvp()) {
                                case CLS -> Vectors.cosine(g[b], t);
                                case MEAN_PATCH -> Vectors.cosine(Vectors.meanRow(s[b]), t);
                                case MAX_PATCH -> maxCos(Vectors.normalizedRows(s[b]), t);
                            };
                }
            }
        }
        boolean[] pairOk = MmvpScore.pairCorrect(pairScores);
        Map<MmvpKind, Double> byKind = new EnumMap<>(MmvpKind.class);
        for (MmvpKind kind : MmvpKind.values()) {
            int n = 0;
            int ok = 0;
            for (int k = 0; k < pairs.size(); k++) {
                if (pairs.get(k).kind() == kind) {
                    n++;
                    ok += pairOk[k] ? 1 : 0;
                }
            }
            if (n > 0) {
                byKind.put(kind, (double) ok / n);
            }
        }
        ci.put("mmvp.pair_accuracy", Bootstrap.fractionCi(pairOk, opt.bootstrap()));
        counts.put("mmvp_pairs", pairs.size());
        Map<String, boolean[]> outcomes = new LinkedHashMap<>(); // per item, in suite order
        outcomes.put("zeroshot_cls", clsOk);
        outcomes.put("zeroshot_seq", seqOk);
        outcomes.put("mmvp.pair_accuracy", pairOk);
        outcomes.putAll(yesToAbsent);

        return new SuiteResult(
                suite.id(),
                ZeroShot.fraction(clsOk),
                ZeroShot.fraction(seqOk),
                pope,
                ZeroShot.fraction(pairOk),
                byKind,
                opt.mmvp(),
                tau,
                cal.accuracy(),
                ci,
                counts,
                opt.bootstrap(),
                outcomes);
    }

    /**
     * The outcome key of a split's false-positive rate ("pope.adversarial.fpr"): per question about
     * an absent object, whether the encoder said yes, so that the mean is the FPR.
     */
    public static String fprOutcome(NegativeSampling n) {
        return "pope." + n.key() + ".fpr";
    }

    /** The outcome keys every result of this runner has (a cached result without one is stale). */
    public static List<String> outcomeKeys() {
        List<String> keys =
                new ArrayList<>(List.of("zeroshot_cls", "zeroshot_seq", "mmvp.pair_accuracy"));
        for (NegativeSampling n : NegativeSampling.values()) {
            keys.add(fprOutcome(n));
        }
        return keys;
    }

    /** answers[i] for every question whose truth is no, in question order. */
    static boolean[] yesToAbsent(boolean[] answers, boolean[] truth) {
        int negatives = 0;
        for (boolean t : truth) {
            negatives += t ? 0 : 1;
        }
        boolean[] out = new boolean[negatives];
        int k = 0;
        for (int i = 0; i < truth.length; i++) {
            if (!truth[i]) {
                out[k++] = answers[i];
            }
        }
        return out;
    }

    /**
     * Σ_p w_p S_p with w the masked-average-pooling weights of the mask's patch coverage
     * (docs/METHOD.md §2, τ = 0): (P, D) → (D). The grid side G = √P; the patch side is S / G.
     */
    static float[] maskedMean(float[][] patches, BinaryMask mask, int inputSize) {
        int grid = (int) Math.round(Math.sqrt(patches.length));
        if (grid * grid != patches.length || inputSize % grid != 0) {
            throw new IllegalStateException(
                    patches.length
                            + " patches are not a square grid dividing input size "
                            + inputSize);
        }
        float[] w =
                MaskedAveragePooling.selectionWeights(
                        PatchCoverage.of(mask, inputSize, inputSize / grid), 0f);
        float[] out = new float[patches[0].length];
        for (int p = 0; p < patches.length; p++) {
            if (w[p] != 0f) {
                for (int k = 0; k < out.length; k++) {
                    out[k] += w[p] * patches[p][k];
                }
            }
        }
        return out;
    }

    /** score[b][c] = max_p cos(S_p, t_c) for every image and class: (B, C). */
    static double[][] maxPatchScores(
            SuiteEncoder encoder, List<BufferedImage> imgs, float[][] text, Options opt) {
        double[][] out = new double[imgs.size()][];
        for (int from = 0; from < imgs.size(); from += opt.batchSize()) {
            List<BufferedImage> batch =
                    imgs.subList(from, Math.min(imgs.size(), from + opt.batchSize()));
            float[][][] s =
                    checkPatches(
                            encoder.imagePatches(batch), batch.size(), text[0].length); // (B, P, D)
            for (int b = 0; b < batch.size(); b++) {
                float[][] sn = Vectors.normalizedRows(s[b]); // (P, D)
                double[] row = new double[text.length];
                for (int c = 0; c < text.length; c++) {
                    row[c] = maxCos(sn, text[c]);
                }
                out[from + b] = row;
            }
        }
        return out;
    }

    /** max_p (Ŝ_p · t̂) for normalised rows and a normalised t. */
    private static double maxCos(float[][] normalizedPatches, float[] t) {
        double best = Double.NEGATIVE_INFINITY;
        for (float[] p : normalizedPatches) {
            best = Math.max(best, Vectors.dot(p, t));
        }
        return best;
    }

    private static List<BufferedImage> images(List<Scene> scenes) {
        return scenes.stream().map(Scene::image).toList();
    }

    private static boolean[] toArray(List<Boolean> l) {
        boolean[] a = new boolean[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    private static double[] nans(int k) {
        double[] a = new double[k];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    private static float[][] checkRows(float[][] rows, int expected, String what) {
        if (rows == null || rows.length != expected) {
            throw new IllegalStateException(
                    "encoder "
                            + what
                            + " returned "
                            + (rows == null ? "null" : rows.length)
                            + " rows for "
                            + expected
                            + " inputs");
        }
        for (float[] r : rows) {
            if (r == null || r.length != rows[0].length || r.length == 0) {
                throw new IllegalStateException(
                        "encoder " + what + " returned rows of unequal or zero width");
            }
        }
        return rows;
    }

    private static float[][][] checkPatches(float[][][] s, int expected, int d) {
        if (s == null || s.length != expected) {
            throw new IllegalStateException(
                    "encoder imagePatches returned "
                            + (s == null ? "null" : s.length)
                            + " images for "
                            + expected);
        }
        for (float[][] img : s) {
            if (img == null || img.length == 0) {
                throw new IllegalStateException(
                        "encoder imagePatches returned an image without patches");
            }
            for (float[] p : img) {
                if (p.length != d) {
                    throw new IllegalStateException(
                            "encoder patch feature has width "
                                    + p.length
                                    + ", text features have "
                                    + d);
                }
            }
        }
        return s;
    }
}
