package eagle.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.hf.HfClipConfig;
import eagle.core.text.ClipBpeTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Whether the tokenizer files of a Hugging Face CLIP folder are CLIP's vocabulary, the one core's
 * {@link ClipBpeTokenizer#bundled()} encodes with (a folder may hold none of them; then there is
 * nothing to contradict the 49408-token text tower):
 *
 * <ul>
 *   <li>{@code vocab.json}: 49408 entries, {@code <|startoftext|>} = 49406 and {@code
 *       <|endoftext|>} = 49407;
 *   <li>{@code merges.txt}: after its version line, the same {@value ClipBpeTokenizer#MERGE_COUNT}
 *       merges, in the same order, as core's bundled merges file;
 *   <li>{@code tokenizer.json}: a BPE model whose vocabulary has 49408 entries with the same two
 *       special ids.
 * </ul>
 */
final class ClipVocabularyCheck {

    static final String START = "<|startoftext|>";
    static final String END = "<|endoftext|>";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClipVocabularyCheck() {}

    /**
     * @throws IllegalArgumentException naming the file and how it differs from CLIP's vocabulary
     */
    static void requireClipVocabulary(Path folder) throws IOException {
        Path vocab = folder.resolve("vocab.json");
        if (Files.isRegularFile(vocab)) {
            requireVocabulary(vocab, readJson(vocab));
        }
        Path tokenizer = folder.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizer)) {
            JsonNode model = readJson(tokenizer).path("model");
            if (!model.path("type").asText("BPE").equals("BPE")) {
                throw new IllegalArgumentException(
                        tokenizer
                                + " is a "
                                + model.path("type").asText()
                                + " tokenizer, not CLIP's byte-pair encoding");
            }
            requireVocabulary(tokenizer, model.path("vocab"));
        }
        Path merges = folder.resolve("merges.txt");
        if (Files.isRegularFile(merges)) {
            requireMerges(merges);
        }
    }

    private static void requireVocabulary(Path file, JsonNode vocab) {
        if (!vocab.isObject() || vocab.size() != HfClipConfig.CLIP_BPE_VOCAB_SIZE) {
            throw new IllegalArgumentException(
                    file
                            + " holds a vocabulary of "
                            + (vocab.isObject() ? vocab.size() : 0)
                            + " tokens, CLIP's has "
                            + HfClipConfig.CLIP_BPE_VOCAB_SIZE
                            + "; this folder's tokenizer is not CLIP's");
        }
        int start = HfClipConfig.CLIP_BPE_VOCAB_SIZE - 2;
        int end = HfClipConfig.CLIP_BPE_VOCAB_SIZE - 1;
        if (vocab.path(START).asInt(-1) != start || vocab.path(END).asInt(-1) != end) {
            throw new IllegalArgumentException(
                    file
                            + ": "
                            + START
                            + " = "
                            + vocab.path(START).asInt(-1)
                            + " and "
                            + END
                            + " = "
                            + vocab.path(END).asInt(-1)
                            + ", CLIP's are "
                            + start
                            + " and "
                            + end);
        }
    }

    private static void requireMerges(Path file) throws IOException {
        List<String> bundled = bundledMerges();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            if (line != null && !line.startsWith("#version")) {
                throw new IllegalArgumentException(
                        file + " does not start with a '#version' line, as CLIP's merges do");
            }
            for (int i = 0; i < bundled.size(); i++) {
                line = reader.readLine();
                if (line == null) {
                    throw new IllegalArgumentException(
                            file
                                    + " holds "
                                    + i
                                    + " merges, CLIP's vocabulary has "
                                    + bundled.size());
                }
                if (!line.equals(bundled.get(i))) {
                    throw new IllegalArgumentException(
                            file
                                    + " merge "
                                    + (i + 1)
                                    + " is '"
                                    + line
                                    + "', CLIP's is '"
                                    + bundled.get(i)
                                    + "'; this folder's tokenizer is not CLIP's");
                }
            }
        }
    }

    private static List<String> bundledMerges() throws IOException {
        try (InputStream in =
                ClipBpeTokenizer.class.getResourceAsStream(ClipBpeTokenizer.BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "core's resource " + ClipBpeTokenizer.BUNDLED_RESOURCE + " is missing");
            }
            BufferedReader reader =
                    new BufferedReader(
                            new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            reader.readLine();
            List<String> merges = new ArrayList<>(ClipBpeTokenizer.MERGE_COUNT);
            String line;
            while (merges.size() < ClipBpeTokenizer.MERGE_COUNT
                    && (line = reader.readLine()) != null) {
                merges.add(line);
            }
            return merges;
        }
    }

    private static JsonNode readJson(Path file) throws IOException {
        try {
            return JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(
                    file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
