package eagle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI CLIP's text tower ({@code clip/model.py CLIP.encode_text}):
 *
 * <pre>
 * x   = token_embedding[tokens] + positional_embedding[:T]
 * x   = resblocks(x)  with the causal mask (position t attends to positions ≤ t)
 * t_c = ln_final(x_{c, eot(c)}) · text_projection,   eot(c) = argmax_t tokens[c, t]
 * </pre>
 *
 * The end-of-text token has the highest id of the vocabulary, so its position is the argmax, as in
 * CLIP. {@link #forward} runs the blocks on the positions up to the last end-of-text token of any
 * row only: under the causal mask the positions after it cannot change the features taken there.
 *
 * <p>Shapes: tokens (C, T) with T ≤ L; {@code token_embedding.weight} (V, W); {@code
 * positional_embedding} (L, W); {@code text_projection} (W, D); output (C, D), unnormalised.
 */
public final class TextTransformer {

    private final ClipConfig.TextConfig config;
    private final NDArray tokenEmbedding;
    private final NDArray positionalEmbedding;
    private final NDArray lnFinalWeight;
    private final NDArray lnFinalBias;
    private final NDArray textProjection;
    private final List<ResidualAttentionBlock> blocks = new ArrayList<>();

    TextTransformer(ClipConfig.TextConfig config, Map<String, NDArray> parameters) {
        this.config = config;
        this.tokenEmbedding = parameters.get("token_embedding.weight");
        this.positionalEmbedding = parameters.get("positional_embedding");
        this.lnFinalWeight = parameters.get("ln_final.weight");
        this.lnFinalBias = parameters.get("ln_final.bias");
        this.textProjection = parameters.get("text_projection");
        for (int i = 0; i < config.layers(); i++) {
            blocks.add(
                    new ResidualAttentionBlock(
                            parameters,
                            "transformer.resblocks." + i + ".",
                            config.heads(),
                            config.activation(),
                            config.layerNormEps()));
        }
    }

    /**
     * @param tokens (C, T) token ids, every row of one length T ≤ L, each with its end-of-text
     *     token
     * @return (C, D) features at each row's end-of-text position
     * @throws IllegalArgumentException for ragged rows, T > L or ids outside [0, V)
     */
    public NDArray forward(int[][] tokens) {
        checkedIds(tokens);
        int[][] used = throughLastEndOfText(tokens); // (C, T'), T' ≤ T
        NDArray normed = hidden(used); // (C, T', W)
        long[] eotRows = endOfTextRows(used);
        int c = used.length;
        int t = used[0].length;
        NDManager manager = tokenEmbedding.getManager();
        NDArray atEot =
                normed.reshape((long) c * t, config.width())
                        .get(HostData.longs(manager, eotRows)); // (C, W)
        return atEot.matMul(textProjection); // (C, D)
    }

    /** Every position's {@code ln_final} output, before the projection: (C, T) ids → (C, T, W). */
    NDArray hidden(int[][] tokens) {
        long[] flat = checkedIds(tokens); // (C·T)
        int c = tokens.length;
        int t = tokens[0].length;
        NDManager manager = tokenEmbedding.getManager();
        int width = config.width();
        NDArray ids = HostData.longs(manager, flat); // (C·T)
        NDArray x = tokenEmbedding.get(ids).reshape(c, t, width); // (C, T, W)
        NDArray positions =
                t == config.contextLength()
                        ? positionalEmbedding
                        : positionalEmbedding.get("0:" + t); // (T, W)
        x = x.add(positions); // (C, T, W)
        NDArray mask = causalMask(manager, t, tokenEmbedding.getDataType()); // (T, T)
        for (ResidualAttentionBlock block : blocks) {
            x = block.forward(x, mask); // (C, T, W)
        }
        return ResidualAttentionBlock.layerNorm(
                x, lnFinalWeight, lnFinalBias, (float) config.layerNormEps()); // (C, T, W)
    }

    /**
     * The ids row after row, (C·T), after checking that the C rows have one length T in 1..L and
     * every id is in [0, V).
     */
    private long[] checkedIds(int[][] tokens) {
        int c = tokens.length;
        if (c == 0) {
            throw new IllegalArgumentException("no token sequences given");
        }
        int t = tokens[0].length;
        if (t == 0 || t > config.contextLength()) {
            throw new IllegalArgumentException(
                    "token sequences must have 1.." + config.contextLength() + " tokens, got " + t);
        }
        long[] flat = new long[c * t];
        for (int i = 0; i < c; i++) {
            if (tokens[i].length != t) {
                throw new IllegalArgumentException(
                        "token row " + i + " has " + tokens[i].length + " tokens, row 0 has " + t);
            }
            for (int j = 0; j < t; j++) {
                int id = tokens[i][j];
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException(
                            "token id "
                                    + id
                                    + " at row "
                                    + i
                                    + " is outside the vocabulary [0, "
                                    + config.vocabSize()
                                    + ")");
                }
                flat[i * t + j] = id;
            }
        }
        return flat;
    }

    /**
     * The rows cut after the last end-of-text position of any row, T' = max_c eot(c) + 1. Under the
     * causal mask position t sees only positions ≤ t, so the features at every eot(c) do not depend
     * on the positions after T' (the padding): dropping them gives the same features for a fraction
     * of the cost (a class prompt of 3–10 tokens in a context of 32 or 77).
     *
     * @param tokens (C, T), already checked
     */
    static int[][] throughLastEndOfText(int[][] tokens) {
        int t = tokens[0].length;
        int used = 0;
        for (int[] row : tokens) {
            int argmax = 0;
            for (int j = 1; j < row.length; j++) {
                if (row[j] > row[argmax]) {
                    argmax = j;
                }
            }
            used = Math.max(used, argmax + 1);
        }
        if (used == t) {
            return tokens;
        }
        int[][] out = new int[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = java.util.Arrays.copyOf(tokens[i], used);
        }
        return out;
    }

    /**
     * Row index {@code c·T + argmax_t tokens[c, t]} of each sequence's end-of-text token (first
     * maximum).
     */
    private static long[] endOfTextRows(int[][] tokens) {
        long[] rows = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            int argmax = 0;
            for (int j = 1; j < tokens[i].length; j++) {
                if (tokens[i][j] > tokens[i][argmax]) {
                    argmax = j;
                }
            }
            rows[i] = (long) i * tokens[i].length + argmax;
        }
        return rows;
    }

    /** Additive (T, T) mask: 0 on and below the diagonal, −∞ above it. */
    static NDArray causalMask(NDManager manager, int t, DataType dataType) {
        float[] mask = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                mask[i * t + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return HostData.floats(manager, mask, new Shape(t, t), dataType);
    }

    /** The blocks, first to last. */
    public List<ResidualAttentionBlock> blocks() {
        return List.copyOf(blocks);
    }
}
