package eagle.scenes.suite;

import static eagle.scenes.suite.EncoderOutputChecks.checkPatches;

import eagle.core.eval.Bootstrap;
import eagle.core.eval.PopeMetrics;
import eagle.core.eval.ThresholdCalibration;
import eagle.core.eval.Vectors;
import eagle.scenes.Scene;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's POPE questions (docs/METHOD.md §6): score(image, c) = max_p cos(S_p, t_c), answer yes
 * iff score &gt; τ. τ is chosen once on the calibration split ({@link
 * ThresholdCalibration#balanced} over its questions of all three negative samplings pooled) and
 * then held fixed for every split and every bootstrap resample, so that the intervals measure the
 * images, not the threshold.
 */
final class PopeScoring {

    /** τ as calibrated, and how many calibration questions it was chosen on. */
    record Threshold(ThresholdCalibration.Calibration calibration, int questions) {}

    /**
     * One negative sampling's result.
     *
     * @param intervals the bootstrap intervals of the metrics, in {@link PopeMetrics#NAMES} order
     * @param yesToAbsent per question about an absent object, in question order, whether the answer
     *     was yes (its mean is the split's false-positive rate)
     */
    record Split(
            PopeMetrics metrics,
            Bootstrap.Interval[] intervals,
            int questions,
            boolean[] yesToAbsent) {}

    private PopeScoring() {}

    /**
     * τ chosen on the calibration split's questions of all three negative samplings pooled (as many
     * yes answers as true questions: no yes-bias, the same operating point for every encoder).
     *
     * @param text the class prompts' normalised text features (C, D)
     */
    static Threshold calibrate(
            SuiteEncoder encoder, PopeSet calibration, float[][] text, int batchSize) {
        double[][] scores =
                maxPatchScores(encoder, images(calibration.images()), text, batchSize); // (B, C)
        List<Double> cs = new ArrayList<>();
        List<Boolean> ct = new ArrayList<>();
        for (NegativeSampling n : NegativeSampling.values()) {
            for (PopeQuestion q : calibration.questions(n)) {
                cs.add(scores[q.imageIndex()][q.classId()]);
                ct.add(q.truth());
            }
        }
        boolean[] truth = new boolean[ct.size()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = ct.get(i);
        }
        return new Threshold(
                ThresholdCalibration.balanced(
                        cs.stream().mapToDouble(Double::doubleValue).toArray(), truth),
                cs.size());
    }

    /**
     * Every split of {@code pope} answered at threshold {@code tau}, in {@link NegativeSampling}
     * order; a bootstrap resample draws images, each with all of its questions.
     */
    static Map<NegativeSampling, Split> score(
            SuiteEncoder encoder,
            PopeSet pope,
            float[][] text,
            double tau,
            int batchSize,
            Bootstrap.Options bootstrap) {
        List<Scene> images = pope.images();
        double[][] scores = maxPatchScores(encoder, images(images), text, batchSize); // (B, C)
        Map<NegativeSampling, Split> out = new EnumMap<>(NegativeSampling.class);
        for (NegativeSampling n : NegativeSampling.values()) {
            List<PopeQuestion> qs = pope.questions(n);
            boolean[] answers = new boolean[qs.size()];
            boolean[] truth = new boolean[qs.size()];
            long[][] perImage = new long[images.size()][4]; // (B, [tp, fp, tn, fn])
            for (int i = 0; i < qs.size(); i++) {
                PopeQuestion q = qs.get(i);
                answers[i] = scores[q.imageIndex()][q.classId()] > tau;
                truth[i] = q.truth();
                perImage[q.imageIndex()][answers[i] ? (truth[i] ? 0 : 1) : (truth[i] ? 3 : 2)]++;
            }
            Bootstrap.Interval[] iv =
                    Bootstrap.cis(images.size(), sample -> metrics(perImage, sample), bootstrap);
            out.put(
                    n,
                    new Split(
                            PopeMetrics.of(answers, truth),
                            iv,
                            qs.size(),
                            yesToAbsent(answers, truth)));
        }
        return out;
    }

    /**
     * The metrics, in {@link PopeMetrics#NAMES} order, of the questions of the sampled images (with
     * repeats); NaN each when the sample has no question.
     *
     * @param perImage per image, its questions' counts (B, [tp, fp, tn, fn])
     */
    private static double[] metrics(long[][] perImage, int[] sample) {
        long[] c = new long[4];
        for (int b : sample) {
            for (int k = 0; k < 4; k++) {
                c[k] += perImage[b][k];
            }
        }
        if (c[0] + c[1] + c[2] + c[3] == 0) {
            double[] nans = new double[PopeMetrics.NAMES.size()];
            Arrays.fill(nans, Double.NaN);
            return nans;
        }
        PopeMetrics m = PopeMetrics.fromCounts(c[0], c[1], c[2], c[3]);
        return PopeMetrics.NAMES.stream().mapToDouble(m::get).toArray();
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

    /** score[b][c] = max_p cos(S_p, t_c) for every image and class: (B, C). */
    static double[][] maxPatchScores(
            SuiteEncoder encoder, List<BufferedImage> imgs, float[][] text, int batchSize) {
        double[][] out = new double[imgs.size()][];
        for (int from = 0; from < imgs.size(); from += batchSize) {
            List<BufferedImage> batch = imgs.subList(from, Math.min(imgs.size(), from + batchSize));
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

    /**
     * max_p (Ŝ_p · t̂) for normalised rows and a normalised t: POPE's score, and MMVP's under
     * MAX_PATCH.
     */
    static double maxCos(float[][] normalizedPatches, float[] t) {
        double best = Double.NEGATIVE_INFINITY;
        for (float[] p : normalizedPatches) {
            best = Math.max(best, Vectors.dot(p, t));
        }
        return best;
    }

    private static List<BufferedImage> images(List<Scene> scenes) {
        return scenes.stream().map(Scene::image).toList();
    }
}
