package eagle.core.eval;

/**
 * Zero-shot classification by cosine similarity with class-prompt embeddings.
 *
 * <p>For image features f_b (B, D) and class text embeddings t_c (C, D), the prediction is ŷ_b =
 * argmax_c cos(f_b, t_c) = argmax_c (f_b·t_c)/(‖f_b‖‖t_c‖) (ties go to the lower class id), and
 * accuracy = (1/B) Σ_b [ŷ_b = y_b]. Features need not be normalised. A zero vector has cosine 0
 * with everything.
 */
public final class ZeroShot {

    private ZeroShot() {}

    /** Predicted class per image: (B, D) × (C, D) → (B). */
    public static int[] predict(float[][] imageFeatures, float[][] classText) {
        if (classText.length == 0) {
            throw new IllegalArgumentException("zero-shot needs at least one class");
        }
        float[][] t = Vectors.normalizedRows(classText); // (C, D)
        int[] out = new int[imageFeatures.length];
        for (int b = 0; b < imageFeatures.length; b++) {
            float[] f = Vectors.normalized(imageFeatures[b]); // (D)
            Vectors.requireDim(f, t[0].length, "image feature " + b);
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < t.length; c++) {
                double s = Vectors.dot(f, t[c]);
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            out[b] = best;
        }
        return out;
    }

    /** Whether each image is classified correctly: (B). */
    public static boolean[] correct(float[][] imageFeatures, float[][] classText, int[] labels) {
        if (labels.length != imageFeatures.length) {
            throw new IllegalArgumentException(
                    imageFeatures.length + " images but " + labels.length + " labels");
        }
        int[] pred = predict(imageFeatures, classText);
        boolean[] ok = new boolean[pred.length];
        for (int b = 0; b < pred.length; b++) {
            ok[b] = pred[b] == labels[b];
        }
        return ok;
    }

    /** Top-1 accuracy; the empty set is rejected. */
    public static double accuracy(float[][] imageFeatures, float[][] classText, int[] labels) {
        return fraction(correct(imageFeatures, classText, labels));
    }

    /** The fraction of true entries; the empty array is rejected. */
    public static double fraction(boolean[] ok) {
        if (ok.length == 0) {
            throw new IllegalArgumentException("accuracy of an empty set is undefined");
        }
        int n = 0;
        for (boolean b : ok) {
            if (b) {
                n++;
            }
        }
        return (double) n / ok.length;
    }
}
