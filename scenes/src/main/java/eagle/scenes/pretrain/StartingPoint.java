package eagle.scenes.pretrain;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.text.WordTokenizer;
import eagle.scenes.experiment.EmbeddedBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a pre-training starts: a random initialisation, or ({@code pretrain --init DIR}) the base
 * in DIR, which goes on training on captions with its own words and, when the captions bring new
 * ones, those too: each of the base's words keeps its learnt embedding row (under its new id), each
 * new word gets the row a random initialisation with the run's seed gives it, and every other
 * parameter is the base's. A word of the base the captions no longer use is refused (its row would
 * be lost without a trace).
 *
 * @param init the base's folder, or null for a random initialisation
 */
record StartingPoint(Path init) {

    private static final String TOKEN_EMBEDDING = "token_embedding.weight";

    /**
     * The model to train: random with {@code seed}, or the base in {@link #init()}, widened to
     * {@code tokenizer}'s words when the captions bring new ones.
     *
     * @throws IllegalArgumentException when a word of the base is not among {@code tokenizer}'s
     */
    ClipModel model(ClipConfig config, WordTokenizer tokenizer, long seed) throws IOException {
        if (init == null) {
            return ClipModel.create(config, EmbeddedBase.device(), seed);
        }
        EmbeddedBase from = new EmbeddedBase(init);
        List<String> baseWords = from.loadTokenizer().words();
        String mismatch = vocabularyMismatch(baseWords, tokenizer.words());
        if (mismatch != null) {
            throw new IllegalArgumentException("--init " + init + ": " + mismatch);
        }
        ClipModel base = from.loadModel();
        if (baseWords.equals(tokenizer.words())) {
            System.err.println("starting from the base in " + init);
            return base;
        }
        try (base) {
            ClipModel widened = ClipModel.create(config, EmbeddedBase.device(), seed);
            for (Map.Entry<String, NDArray> e : widened.parameters().entrySet()) {
                float[] values = base.parameter(e.getKey()).toFloatArray();
                if (e.getKey().equals(TOKEN_EMBEDDING)) {
                    int width = config.text().width();
                    int[] rows = carriedRows(baseWords, tokenizer.words());
                    float[] table = e.getValue().toFloatArray(); // (V', W) fresh rows
                    for (int id = 0; id < rows.length; id++) {
                        if (rows[id] >= 0) {
                            System.arraycopy(values, rows[id] * width, table, id * width, width);
                        }
                    }
                    values = table;
                }
                e.getValue().set(values);
            }
            System.err.printf(
                    Locale.ROOT,
                    "starting from the base in %s, its %d words widened to %d%n",
                    init,
                    baseWords.size(),
                    tokenizer.words().size());
            return widened;
        }
    }

    /**
     * For each token id of a tokenizer with the words {@code captions}, the id of the same token in
     * one with the words {@code base} (padding, each word, unknown, start and end of text), or −1
     * for a word the base does not have; see {@link WordTokenizer} for the ids.
     */
    static int[] carriedRows(List<String> base, List<String> captions) {
        int[] rows = new int[captions.size() + 4];
        rows[0] = 0;
        for (int i = 0; i < captions.size(); i++) {
            int old = base.indexOf(captions.get(i));
            rows[i + 1] = old < 0 ? -1 : old + 1;
        }
        for (int special = 1; special <= 3; special++) {
            rows[captions.size() + special] = base.size() + special;
        }
        return rows;
    }

    /** The starting base's folder and its own pretrain.json, or null for a random start. */
    JsonNode record() throws IOException {
        if (init == null) {
            return null;
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode from = json.createObjectNode();
        from.put("dir", init.toString());
        Path record = init.resolve(EmbeddedBase.RECORD);
        if (Files.isRegularFile(record)) {
            from.set("record", json.readTree(record.toFile()));
        }
        return from;
    }

    /**
     * Why a base with the words {@code base} cannot go on training on captions with the words
     * {@code captions} (a word of the base would be dropped), or null when every word of the base
     * is among the captions'.
     */
    static String vocabularyMismatch(List<String> base, List<String> captions) {
        if (captions.containsAll(base)) {
            return null;
        }
        Set<String> missing = new TreeSet<>(captions);
        missing.removeAll(base);
        Set<String> unused = new TreeSet<>(base);
        unused.removeAll(captions);
        return String.format(
                Locale.ROOT,
                "these captions (%d words) drop words of the base's vocabulary (%d words; new %s,"
                        + " gone %s); use the caption options and --images it was made with",
                captions.size(),
                base.size(),
                missing,
                unused);
    }
}
