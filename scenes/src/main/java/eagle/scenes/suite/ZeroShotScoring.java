package eagle.scenes.suite;

import static eagle.scenes.suite.EncoderOutputChecks.checkPatches;
import static eagle.scenes.suite.EncoderOutputChecks.checkRows;

import eagle.core.eval.Vectors;
import eagle.core.eval.ZeroShot;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.PatchCoverage;
import eagle.core.method.MaskedAveragePooling;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The suite's zero-shot classification (docs/METHOD.md §6): an item is classified by argmax_c
 * cos(·, t_c) once with the CLS feature g of its {@code clsImage} and once with a Seq feature of
 * its {@code image}'s patches: their mean, or for an item with a mask their masked average
 * (docs/METHOD.md §2), so that a COCO instance is judged by its own patches, not its scene's.
 */
final class ZeroShotScoring {

    /** Per item, in suite order: whether its CLS and its Seq feature chose its label. */
    record Correct(boolean[] cls, boolean[] seq) {}

    private ZeroShotScoring() {}

    /**
     * @param text the class prompts' normalised text features (C, D)
     * @param batchSize items per encoder call
     */
    static Correct score(
            SuiteEncoder encoder, List<ZeroShotItem> items, float[][] text, int batchSize) {
        int d = text[0].length;
        float[][] cls = new float[items.size()][];
        float[][] seq = new float[items.size()][];
        for (int from = 0; from < items.size(); from += batchSize) {
            List<ZeroShotItem> batch =
                    items.subList(from, Math.min(items.size(), from + batchSize));
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
        return new Correct(
                ZeroShot.correct(cls, text, labels), ZeroShot.correct(seq, text, labels));
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
}
