package eagle.scenes.suite;

import static eagle.scenes.suite.EncoderOutputChecks.checkPatches;
import static eagle.scenes.suite.EncoderOutputChecks.checkRows;

import eagle.core.eval.MmvpScore;
import eagle.core.eval.Vectors;
import eagle.scenes.suite.SuiteRunner.MmvpRepresentation;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's MMVP pairs (docs/METHOD.md §6): sim(statement, image) by the chosen {@link
 * MmvpRepresentation}, and a pair counts iff both statements score higher on their own image
 * ({@link MmvpScore}). A pair's two images go to the encoder in the same call, so a batch holds
 * whole pairs.
 */
final class MmvpScoring {

    /**
     * @param pairCorrect per pair, in suite order, whether both statements chose their own image
     * @param accuracyByKind the fraction of correct pairs of each kind the suite has
     */
    record Outcome(boolean[] pairCorrect, Map<MmvpKind, Double> accuracyByKind) {}

    private MmvpScoring() {}

    /**
     * @param d the width of the encoder's features (that of the class prompts' text features)
     * @param batchSize images per encoder call, rounded down to whole pairs (at least one)
     */
    static Outcome score(
            SuiteEncoder encoder,
            List<MmvpPair> pairs,
            MmvpRepresentation representation,
            int d,
            int batchSize) {
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
        int step = 2 * Math.max(1, batchSize / 2);
        double[][][] pairScores = new double[pairs.size()][2][2]; // (K, statement, image)
        for (int from = 0; from < pairImages.size(); from += step) {
            List<BufferedImage> batch =
                    pairImages.subList(from, Math.min(pairImages.size(), from + step));
            float[][] g =
                    representation == MmvpRepresentation.CLS
                            ? checkRows(encoder.imageCls(batch), batch.size(), "imageCls")
                            : null; // (B, D)
            float[][][] s =
                    representation == MmvpRepresentation.CLS
                            ? null
                            : checkPatches(
                                    encoder.imagePatches(batch), batch.size(), d); // (B, P, D)
            for (int b = 0; b < batch.size(); b++) {
                int img = from + b;
                int k = img / 2;
                for (int i = 0; i < 2; i++) {
                    float[] t = st[2 * k + i];
                    pairScores[k][i][img % 2] =
                            switch (representation) {
                                case CLS -> Vectors.cosine(g[b], t);
                                case MEAN_PATCH -> Vectors.cosine(Vectors.meanRow(s[b]), t);
                                case MAX_PATCH ->
                                        PopeScoring.maxCos(Vectors.normalizedRows(s[b]), t);
                            };
                }
            }
        }
        boolean[] pairOk = MmvpScore.pairCorrect(pairScores);
        return new Outcome(pairOk, accuracyByKind(pairs, pairOk));
    }

    /** The fraction of correct pairs per kind; a kind without pairs is absent, not 0. */
    private static Map<MmvpKind, Double> accuracyByKind(List<MmvpPair> pairs, boolean[] pairOk) {
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
        return byKind;
    }
}
