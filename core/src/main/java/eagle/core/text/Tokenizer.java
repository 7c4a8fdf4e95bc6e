package eagle.core.text;

import java.util.Arrays;
import java.util.List;

/**
 * Turns text into the token ids the text tower reads. Every sequence starts with {@link
 * #startToken()} and ends with {@link #endToken()}, and the end token has the highest id of the
 * vocabulary, so the text tower finds it as the argmax of a row, as CLIP does.
 */
public interface Tokenizer {

    /** The ids of {@code text}, with the start and end tokens, not padded and not truncated. */
    int[] encode(String text);

    /** L, the length of every row of {@link #encodeBatch}. */
    int contextLength();

    /** V, the number of ids. */
    int vocabSize();

    /** Id of the start-of-text token. */
    int startToken();

    /** Id of the end-of-text token, {@code vocabSize() - 1}. */
    int endToken();

    /**
     * Whether {@code text} makes a faithful prompt: its encoding fits {@link #contextLength()}
     * without truncation (and, for a tokenizer with an unknown-word id, holds none).
     */
    default boolean canPrompt(String text) {
        return encode(text).length <= contextLength();
    }

    /**
     * (C, L) ids: each text encoded, padded with 0 to {@link #contextLength()}; a longer sequence
     * is cut to L tokens whose last is replaced by the end token (CLIP's {@code truncate=True}).
     */
    default int[][] encodeBatch(List<String> texts) {
        int length = contextLength();
        int[][] batch = new int[texts.size()][];
        for (int i = 0; i < batch.length; i++) {
            int[] ids = encode(texts.get(i));
            int[] row = Arrays.copyOf(ids, length); // pads with 0
            if (ids.length > length) {
                row[length - 1] = endToken();
            }
            batch[i] = row;
        }
        return batch;
    }

    /**
     * {@link #encodeBatch} of texts that must be said faithfully ({@link #canPrompt}), for a term
     * whose targets they are.
     *
     * @param need what needs the texts, opening the message ("the place term needs place phrases")
     * @param remedy what to do about it, closing the message
     * @throws IllegalArgumentException naming the first text this tokenizer cannot prompt with
     */
    default int[][] encodeEvery(List<String> texts, String need, String remedy) {
        for (String text : texts) {
            if (!canPrompt(text)) {
                throw new IllegalArgumentException(
                        need
                                + ", and this encoder's tokenizer cannot encode '"
                                + text
                                + "' ("
                                + remedy
                                + ")");
            }
        }
        return encodeBatch(texts);
    }
}
