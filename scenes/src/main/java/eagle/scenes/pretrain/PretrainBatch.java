package eagle.scenes.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import eagle.core.method.CaptionSeparation;
import eagle.core.method.ClipContrastiveLoss;
import eagle.core.model.ClipModel;
import eagle.core.text.Tokenizer;
import eagle.core.train.SeededRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * One pre-training step's batch and its loss (docs/METHOD.md §1): B images drawn with replacement,
 * their captions, and the hard negatives of those captions that have one.
 *
 * <pre>
 *   L = CLIP's loss over (g, c) with the N negatives ñ in the image rows
 *       [+ the hinge (1/N) Σ_k max(0, cos(c_o(k), ñ_k) − m), when m &lt; 1]
 * </pre>
 *
 * @param pixels the images, (B, 3, S, S) flattened
 * @param captions their captions, tokenised, (B, T)
 * @param negatives the hard negatives of the captions that have one, tokenised, (N, T)
 * @param owners o(k): the batch row whose caption negative k was made from, (N)
 */
record PretrainBatch(float[] pixels, int[][] captions, int[][] negatives, long[] owners) {

    /**
     * B draws from the training images.
     *
     * @param images each image's pixels, (3·S·S)
     * @param captionTokens each image's caption, tokenised
     * @param negativeTokens each image's hard negative, tokenised, null where it has none
     */
    static PretrainBatch draw(
            SeededRandom random,
            int batch,
            List<float[]> images,
            int[][] captionTokens,
            int[][] negativeTokens) {
        int plane = images.get(0).length;
        float[] flat = new float[batch * plane];
        int[][] tokens = new int[batch][];
        List<int[]> negatives = new ArrayList<>();
        List<Long> owners = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int i = random.nextInt(images.size());
            System.arraycopy(images.get(i), 0, flat, b * plane, plane);
            tokens[b] = captionTokens[i];
            if (negativeTokens[i] != null) {
                negatives.add(negativeTokens[i]);
                owners.add((long) b);
            }
        }
        return new PretrainBatch(
                flat,
                tokens,
                negatives.toArray(new int[0][]),
                owners.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * The texts tokenised as one padded batch, with null rows where a text is null.
     *
     * @return (texts.size(), T), null rows kept
     */
    static int[][] encodeWithGaps(Tokenizer tokenizer, List<String> texts) {
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) != null) {
                present.add(i);
            }
        }
        int[][] encoded = tokenizer.encodeBatch(present.stream().map(texts::get).toList());
        int[][] rows = new int[texts.size()][];
        for (int k = 0; k < present.size(); k++) {
            rows[present.get(k)] = encoded[k];
        }
        return rows;
    }

    /**
     * The loss of this batch under {@code model}, in the gradient collector's graph.
     *
     * @param imageSize S
     * @param margin m of the hinge; 1: no hinge
     */
    NDArray loss(ClipModel model, NDManager manager, int imageSize, double margin) {
        int b = captions.length;
        NDArray x = manager.create(pixels, new Shape(b, 3, imageSize, imageSize)); // (B, 3, S, S)
        NDArray g = model.encodeImage(x).cls(); // (B, D)
        NDArray c = model.encodeText(captions, manager); // (B, D)
        NDArray n = negatives.length == 0 ? null : model.encodeText(negatives, manager); // (N, D)
        NDArray total = ClipContrastiveLoss.compute(g, c, n, model.logitScale());
        if (n != null && margin < 1) {
            total = total.add(CaptionSeparation.compute(c, n, owners, margin));
        }
        return total;
    }
}
