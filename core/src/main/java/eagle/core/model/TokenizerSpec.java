package eagle.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.text.ClipBpeTokenizer;
import eagle.core.text.Tokenizer;
import eagle.core.text.WordTokenizer;
import java.util.List;

/**
 * Which tokenizer an encoder's text tower reads, in a form a model file and a registry version can
 * carry (docs/METHOD.md §1), so a service rebuilds exactly the tokenizer the weights were trained
 * with.
 *
 * <p>JSON: {@code {"kind":"clip-bpe","vocabSha256":"924691ac…","contextLength":77}} or {@code
 * {"kind":"words","words":["a","red",…],"contextLength":32}}.
 *
 * @param kind {@value #CLIP_BPE} (CLIP's byte-level BPE, the merges file that ships with core) or
 *     {@value #WORDS} ({@link WordTokenizer})
 * @param vocabSha256 clip-bpe only: sha256 of the merges file the encoder was trained with
 * @param words words only: the vocabulary in id order
 * @param contextLength L, the length of every token row
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenizerSpec(
        String kind, String vocabSha256, List<String> words, int contextLength) {

    /** Kind of CLIP's byte-level BPE tokenizer ({@link ClipBpeTokenizer}). */
    public static final String CLIP_BPE = "clip-bpe";

    /** Kind of the word-level tokenizer ({@link WordTokenizer}). */
    public static final String WORDS = "words";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @throws IllegalArgumentException for an unknown kind, a clip-bpe spec without a digest or
     *     with words, a words spec without words or with a digest, or L < 2
     */
    public TokenizerSpec {
        if (CLIP_BPE.equals(kind)) {
            if (vocabSha256 == null || vocabSha256.isBlank()) {
                throw new IllegalArgumentException("a clip-bpe tokenizer spec needs vocabSha256");
            }
            if (words != null) {
                throw new IllegalArgumentException("a clip-bpe tokenizer spec has no words");
            }
        } else if (WORDS.equals(kind)) {
            if (words == null) {
                throw new IllegalArgumentException("a words tokenizer spec needs its words");
            }
            if (vocabSha256 != null) {
                throw new IllegalArgumentException("a words tokenizer spec has no vocabSha256");
            }
            words = List.copyOf(words);
        } else {
            throw new IllegalArgumentException(
                    "unknown tokenizer kind '"
                            + kind
                            + "'; known kinds: "
                            + CLIP_BPE
                            + ", "
                            + WORDS);
        }
        if (contextLength < 2) {
            throw new IllegalArgumentException(
                    "context length must hold start and end tokens, was " + contextLength);
        }
    }

    /**
     * CLIP's BPE from the merges file that ships with core ({@link
     * ClipBpeTokenizer#BUNDLED_VOCAB_SHA256}).
     */
    public static TokenizerSpec clipBpe(int contextLength) {
        return new TokenizerSpec(
                CLIP_BPE, ClipBpeTokenizer.BUNDLED_VOCAB_SHA256, null, contextLength);
    }

    /** A {@link WordTokenizer} over {@code words} (in id order). */
    public static TokenizerSpec words(List<String> words, int contextLength) {
        return new TokenizerSpec(WORDS, null, words, contextLength);
    }

    /** The spec of an existing word tokenizer. */
    public static TokenizerSpec of(WordTokenizer tokenizer) {
        return words(tokenizer.words(), tokenizer.contextLength());
    }

    /**
     * Builds the tokenizer.
     *
     * @throws IllegalArgumentException when a clip-bpe spec names another vocabulary than the one
     *     core ships (both digests in the message), or a words spec holds an invalid vocabulary
     */
    public Tokenizer create() {
        if (CLIP_BPE.equals(kind)) {
            if (!ClipBpeTokenizer.BUNDLED_VOCAB_SHA256.equals(vocabSha256)) {
                throw new IllegalArgumentException(
                        "the encoder's BPE vocabulary has sha256 "
                                + vocabSha256
                                + " but core ships only "
                                + ClipBpeTokenizer.BUNDLED_VOCAB_SHA256);
            }
            return ClipBpeTokenizer.bundled(contextLength);
        }
        return new WordTokenizer(words, contextLength);
    }

    /**
     * V, the number of ids the tokenizer emits (the text tower's vocabulary must be at least this).
     */
    public int vocabSize() {
        return CLIP_BPE.equals(kind) ? ClipBpeTokenizer.VOCAB_SIZE : words.size() + 4;
    }

    /**
     * A short description for messages: {@code clip-bpe(924691ac…, L 77)} or {@code words(32, L
     * 32)}.
     */
    public String describe() {
        if (CLIP_BPE.equals(kind)) {
            String digest =
                    vocabSha256.length() > 8 ? vocabSha256.substring(0, 8) + "…" : vocabSha256;
            return CLIP_BPE + "(" + digest + ", L " + contextLength + ")";
        }
        return WORDS + "(" + words.size() + ", L " + contextLength + ")";
    }

    /**
     * This spec as JSON (the form in {@link MetadataKeys#TOKENIZER} and a registry version's
     * architecture).
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + this, e);
        }
    }

    /**
     * Parses {@link #toJson()}'s form.
     *
     * @throws IllegalArgumentException when the JSON is malformed or the spec invalid
     */
    public static TokenizerSpec fromJson(String json) {
        try {
            return JSON.readValue(json, TokenizerSpec.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw new IllegalArgumentException(
                    "invalid tokenizer spec JSON: " + e.getOriginalMessage(), e);
        }
    }
}
