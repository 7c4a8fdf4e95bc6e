package eagle.core.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A word-level tokenizer for small vocabularies (the {@code tiny} model's prompts): text is
 * lower-cased and split on every run of non-letters; each word maps to its id.
 *
 * <p>Ids: 0 padding, 1..n the words in the given order, n+1 unknown word, n+2 start-of-text, n+3
 * end-of-text (the highest id, so the text tower finds it by argmax); V = n + 4.
 */
public final class WordTokenizer implements Tokenizer {

    private static final Pattern NON_LETTERS = Pattern.compile("[^\\p{L}]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> words;
    private final Map<String, Integer> ids;
    private final int contextLength;

    /** The serialised form: the word list and the context length. */
    record Form(List<String> words, int contextLength) {}

    /**
     * @param words the vocabulary, lower-case letters only, without duplicates
     * @param contextLength L, at least 2
     * @throws IllegalArgumentException for a duplicate, empty or non-letter word, or L < 2
     */
    public WordTokenizer(List<String> words, int contextLength) {
        if (contextLength < 2) {
            throw new IllegalArgumentException(
                    "context length must hold start and end tokens, was " + contextLength);
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (String word : words) {
            if (word == null
                    || word.isEmpty()
                    || !word.equals(word.toLowerCase(Locale.ROOT))
                    || NON_LETTERS.matcher(word).find()) {
                throw new IllegalArgumentException(
                        "vocabulary words must be lower-case letters, got '" + word + "'");
            }
            if (index.putIfAbsent(word, index.size() + 1) != null) {
                throw new IllegalArgumentException("duplicate vocabulary word '" + word + "'");
            }
        }
        this.words = List.copyOf(words);
        this.ids = index;
        this.contextLength = contextLength;
    }

    /**
     * A tokenizer whose vocabulary is every word of {@code texts} (split and lower-cased as {@link
     * #encode} splits them), in sorted order.
     */
    public static WordTokenizer ofTexts(Collection<String> texts, int contextLength) {
        Set<String> words = new TreeSet<>();
        for (String text : texts) {
            for (String word : NON_LETTERS.split(text.toLowerCase(Locale.ROOT))) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return new WordTokenizer(new ArrayList<>(words), contextLength);
    }

    @Override
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        out.add(startToken());
        for (String word : NON_LETTERS.split(text.toLowerCase(Locale.ROOT))) {
            if (!word.isEmpty()) {
                out.add(ids.getOrDefault(word, unknownToken()));
            }
        }
        out.add(endToken());
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * False also when a word of {@code text} is not in the vocabulary (it would become the unknown
     * id).
     */
    @Override
    public boolean canPrompt(String text) {
        int[] ids = encode(text);
        if (ids.length > contextLength) {
            return false;
        }
        for (int id : ids) {
            if (id == unknownToken()) {
                return false;
            }
        }
        return true;
    }

    /** The words of the vocabulary, in id order (id = index + 1). */
    public List<String> words() {
        return words;
    }

    /** Id of the unknown-word token, n + 1. */
    public int unknownToken() {
        return words.size() + 1;
    }

    @Override
    public int startToken() {
        return words.size() + 2;
    }

    @Override
    public int endToken() {
        return words.size() + 3;
    }

    @Override
    public int vocabSize() {
        return words.size() + 4;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    /** {@code {"words": [...], "contextLength": L}}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(new Form(words, contextLength));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the word vocabulary", e);
        }
    }

    /**
     * Parses {@link #toJson()}'s form.
     *
     * @throws IllegalArgumentException when the JSON is malformed or the vocabulary invalid
     */
    public static WordTokenizer fromJson(String json) {
        Form form;
        try {
            form = JSON.readValue(json, Form.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "invalid word tokenizer JSON: " + e.getOriginalMessage(), e);
        }
        if (form.words() == null) {
            throw new IllegalArgumentException("word tokenizer JSON has no words");
        }
        return new WordTokenizer(form.words(), form.contextLength());
    }
}
