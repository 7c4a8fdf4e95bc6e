package eagle.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import eagle.core.eval.Vectors;
import eagle.core.method.CountPresenceLoss;
import eagle.core.method.EagleLoss;
import eagle.core.method.ImagePresenceLoss;
import eagle.core.method.PatchPresenceLoss;
import eagle.core.method.PlaceLoss;
import eagle.core.model.ClipModel;
import eagle.core.model.ImageFeatures;
import java.util.Map;

/**
 * The presence terms of a training step (docs/METHOD.md §3), each added only when its λ &gt; 0 and
 * each with L_ce's own scale s′ and bias b′:
 *
 * <pre>
 *   L_patch(S_p, t)   every patch a mask covers by half, asked about its owner's class
 *   L_img(S_p, t)     each image's soft maximum over its patches, asked about every class
 *   L_count(S_p, u)   the same soft maximum, asked which counted phrase is true
 *   L_place(S_p, w)   every patch a placed mask covers by half, asked which side its object is on
 *   u = normalize(T(counted phrase (c, n)))        (C·M, D)
 *   w = normalize(T(place phrase (c, q)))          (C·Q, D)
 * </pre>
 *
 * <p>L_place uses the model's logit scale (a softmax over places, as L_ins), not L_ce's.
 */
final class PresenceTerms {

    /** The parts with the terms added, and each term's value read back (0 when off). */
    record Added(
            EagleLoss.LossParts parts, double patch, double image, double count, double place) {}

    private final PatchPresenceLoss patchPresence;
    private final ImagePresenceLoss imagePresence;
    private final CountPresenceLoss countPresence;
    private final PlaceLoss place;
    private final int[][] countPhraseTokens; // (C·M, T), null when λ_n = 0
    private final int[][] placePhraseTokens; // (C·Q, T), null when λ_s = 0

    /**
     * @param phrases the counted and place phrases, tokenised (needed when their λ &gt; 0, checked
     *     by the trainer)
     */
    PresenceTerms(TrainingConfig config, TermPhrases phrases) {
        this.patchPresence = new PatchPresenceLoss(config.patchLambda(), config.lossWeighting());
        this.imagePresence = new ImagePresenceLoss(config.imageLambda());
        this.countPresence = new CountPresenceLoss(config.countLambda());
        this.place = new PlaceLoss(config.placeLambda());
        this.countPhraseTokens = config.countLambda() > 0 ? phrases.counted() : null;
        this.placePhraseTokens = config.placeLambda() > 0 ? phrases.placed() : null;
    }

    /**
     * @param features the batch's image features
     * @param t class embeddings, (C, D), normalised
     * @param packed the batch
     * @param lossParameters L_ce's scale and bias by name
     */
    Added add(
            EagleLoss.LossParts parts,
            ClipModel model,
            NDManager manager,
            ImageFeatures features,
            NDArray t,
            TrainingBatch packed,
            Map<String, NDArray> lossParameters) {
        NDArray scale = lossParameters.get(EagleLoss.SIGMOID_LOGIT_SCALE);
        NDArray bias = lossParameters.get(EagleLoss.SIGMOID_BIAS);
        double patchValue = 0;
        double imageValue = 0;
        double countValue = 0;
        double placeValue = 0;
        if (patchPresence.lambda() > 0) {
            NDArray patchTerm =
                    patchPresence.compute(
                            features.patches(),
                            t,
                            PatchPresenceLoss.owned(
                                    (int) packed.pixelShape().get(0),
                                    packed.imageIndex(),
                                    packed.coverage(),
                                    packed.labels()),
                            scale,
                            bias); // ()
            parts = parts.plus(patchTerm);
            patchValue = patchTerm.getFloat();
        }
        if (imagePresence.lambda() > 0) {
            NDArray imageTerm =
                    imagePresence.compute(
                            features.patches(),
                            t,
                            packed.imageIndex(),
                            packed.labels(),
                            scale,
                            bias); // ()
            parts = parts.plus(imageTerm);
            imageValue = imageTerm.getFloat();
        }
        if (countPhraseTokens != null) {
            NDArray u =
                    Vectors.normalized(model.encodeText(countPhraseTokens, manager)); // (C·M, D)
            NDArray countTerm =
                    countPresence.compute(
                            features.patches(),
                            u,
                            (int) t.getShape().get(0),
                            packed.imageIndex(),
                            packed.labels(),
                            scale,
                            bias); // ()
            parts = parts.plus(countTerm);
            countValue = countTerm.getFloat();
        }
        if (placePhraseTokens != null) {
            NDArray w =
                    Vectors.normalized(model.encodeText(placePhraseTokens, manager)); // (C·Q, D)
            NDArray placeTerm =
                    place.compute(
                            features.patches(),
                            w,
                            PlaceLoss.placed(
                                    (int) packed.pixelShape().get(0),
                                    packed.imageIndex(),
                                    packed.coverage(),
                                    packed.labels()),
                            model.logitScale()); // ()
            parts = parts.plus(placeTerm);
            placeValue = placeTerm.getFloat();
        }
        return new Added(parts, patchValue, imageValue, countValue, placeValue);
    }
}
