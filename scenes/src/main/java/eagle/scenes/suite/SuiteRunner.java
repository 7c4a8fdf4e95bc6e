package eagle.scenes.suite;

import eagle.core.eval.Bootstrap;
import eagle.core.eval.MmvpScore;
import eagle.core.eval.PopeMetrics;
import eagle.core.eval.ThresholdCalibration;
import eagle.core.eval.Vectors;
import eagle.core.eval.ZeroShot;
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
 * patches. The three parts are scored by {@link ZeroShotScoring}, {@link PopeScoring} and {@link
 * MmvpScoring}; this class names their metrics, intervals, counts and outcomes, in the order the
 * result lists them.
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
                        EncoderOutputChecks.checkRows(
                                encoder.texts(prompts),
                                prompts.size(),
                                "texts(class prompts)")); // (C, D)
        Map<String, Bootstrap.Interval> ci = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();

        ZeroShotScoring.Correct zeroShot =
                ZeroShotScoring.score(encoder, suite.zeroShotItems(), text, opt.batchSize());
        ci.put("zeroshot_cls", Bootstrap.fractionCi(zeroShot.cls(), opt.bootstrap()));
        ci.put("zeroshot_seq", Bootstrap.fractionCi(zeroShot.seq(), opt.bootstrap()));
        // items: one per instance for a COCO suite
        counts.put("zeroshot_images", zeroShot.cls().length);

        // POPE: calibrate τ, then score the three splits
        PopeScoring.Threshold threshold =
                PopeScoring.calibrate(encoder, suite.calibration(), text, opt.batchSize());
        double tau = threshold.calibration().threshold();
        counts.put("calibration_images", suite.calibration().images().size());
        counts.put("calibration_questions", threshold.questions());
        Map<NegativeSampling, PopeMetrics> pope = new EnumMap<>(NegativeSampling.class);
        Map<String, boolean[]> yesToAbsent = new LinkedHashMap<>(); // per absent-object question
        PopeScoring.score(encoder, suite.pope(), text, tau, opt.batchSize(), opt.bootstrap())
                .forEach(
                        (n, split) -> {
                            pope.put(n, split.metrics());
                            yesToAbsent.put(fprOutcome(n), split.yesToAbsent());
                            for (int k = 0; k < split.intervals().length; k++) {
                                ci.put(
                                        "pope." + n.key() + "." + PopeMetrics.NAMES.get(k),
                                        split.intervals()[k]);
                            }
                            counts.put("pope_questions_" + n.key(), split.questions());
                        });
        counts.put("pope_images", suite.pope().images().size());

        MmvpScoring.Outcome mmvp =
                MmvpScoring.score(
                        encoder, suite.mmvp(), opt.mmvp(), text[0].length, opt.batchSize());
        ci.put("mmvp.pair_accuracy", Bootstrap.fractionCi(mmvp.pairCorrect(), opt.bootstrap()));
        counts.put("mmvp_pairs", suite.mmvp().size());
        Map<String, boolean[]> outcomes = new LinkedHashMap<>(); // per item, in suite order
        outcomes.put("zeroshot_cls", zeroShot.cls());
        outcomes.put("zeroshot_seq", zeroShot.seq());
        outcomes.put("mmvp.pair_accuracy", mmvp.pairCorrect());
        outcomes.putAll(yesToAbsent);

        return new SuiteResult(
                suite.id(),
                ZeroShot.fraction(zeroShot.cls()),
                ZeroShot.fraction(zeroShot.seq()),
                pope,
                ZeroShot.fraction(mmvp.pairCorrect()),
                mmvp.accuracyByKind(),
                opt.mmvp(),
                tau,
                threshold.calibration().accuracy(),
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
}
