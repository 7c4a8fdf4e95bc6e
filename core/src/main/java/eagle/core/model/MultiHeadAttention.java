package eagle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Scaled dot-product attention over H heads, shared by {@link ResidualAttentionBlock} (CLIP) and
 * {@link EvaAttentionBlock} (EVA): the fused query, key and value projections in, the heads mixed
 * and concatenated back out, before the block's output projection.
 *
 * <pre>
 * [q k v] = qkv split in three          3 × (B, T, W)
 * q, v → (B, H, T, W/H),  k → (B, H, W/H, T)
 * out = softmax(q kᵀ / √(W/H) + mask) v  (B, H, T, W/H) → heads concatenated (B, T, W)
 * </pre>
 *
 * The two reference implementations apply the 1/√(W/H) at different points (CLIP's to the scores,
 * EVA's to the queries); {@link Scaling} keeps each one's order, so each model computes exactly as
 * before and as its reference does.
 */
final class MultiHeadAttention {

    /** Where the 1/√(W/H) goes. */
    enum Scaling {
        /** {@code (q kᵀ) / √(W/H)}: OpenAI CLIP. */
        SCORES,
        /** {@code (q / √(W/H)) kᵀ}: EVA. */
        QUERIES
    }

    private MultiHeadAttention() {}

    /**
     * @param qkv the fused projections, (B, T, 3W)
     * @param heads H, dividing W
     * @param attentionMask additive (T, T) mask, or {@code null} for full attention
     * @return the heads' outputs concatenated, (B, T, W)
     */
    static NDArray attend(NDArray qkv, int heads, NDArray attentionMask, Scaling scaling) {
        long b = qkv.getShape().get(0);
        long t = qkv.getShape().get(1);
        long width = qkv.getShape().get(2) / 3;
        long headWidth = width / heads;
        double scale = 1.0 / Math.sqrt(headWidth);
        NDList split = qkv.split(3, 2); // 3 × (B, T, W)
        NDArray q =
                split.get(0)
                        .reshape(b, t, heads, headWidth)
                        .transpose(0, 2, 1, 3); // (B, H, T, W/H)
        NDArray k =
                split.get(1)
                        .reshape(b, t, heads, headWidth)
                        .transpose(0, 2, 3, 1); // (B, H, W/H, T)
        NDArray v =
                split.get(2)
                        .reshape(b, t, heads, headWidth)
                        .transpose(0, 2, 1, 3); // (B, H, T, W/H)
        NDArray scores =
                scaling == Scaling.SCORES
                        ? HostData.times(q.matMul(k), scale)
                        : HostData.times(q, scale).matMul(k); // (B, H, T, T)
        if (attentionMask != null) {
            scores = scores.add(attentionMask); // (B, H, T, T)
        }
        NDArray mixed = scores.softmax(-1).matMul(v); // (B, H, T, W/H)
        return mixed.transpose(0, 2, 1, 3).reshape(b, t, width); // (B, T, W)
    }
}
