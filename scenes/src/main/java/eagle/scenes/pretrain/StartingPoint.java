package eagle.scenes.pretrain;

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
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a pre-training starts: a random initialisation, or ({@code pretrain --init DIR}) the base
 * in DIR, which goes on training on captions with its own words.
 *
 * @param init the base's folder, or null for a random initialisation
 */
record StartingPoint(Path init) {

    /**
     * The model to train: random with {@code seed}, or the base in {@link #init()}.
     *
     * @throws IllegalArgumentException when the base's vocabulary is not {@code tokenizer}'s
     */
    ClipModel model(ClipConfig config, WordTokenizer tokenizer, long seed) throws IOException {
        if (init == null) {
            return ClipModel.create(config, EmbeddedBase.device(), seed);
        }
        EmbeddedBase from = new EmbeddedBase(init);
        String mismatch = vocabularyMismatch(from.loadTokenizer().words(), tokenizer.words());
        if (mismatch != null) {
            throw new IllegalArgumentException("--init " + init + ": " + mismatch);
        }
        ClipModel model = from.loadModel();
        System.err.println("starting from the base in " + init);
        return model;
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
     * {@code captions} (a token id would mean another word), or null when the two are the same.
     */
    static String vocabularyMismatch(List<String> base, List<String> captions) {
        if (base.equals(captions)) {
            return null;
        }
        Set<String> missing = new TreeSet<>(captions);
        missing.removeAll(base);
        Set<String> unused = new TreeSet<>(base);
        unused.removeAll(captions);
        return String.format(
                Locale.ROOT,
                "the base's vocabulary (%d words) is not these captions' (%d words; new %s, gone %s);"
                        + " use the caption options and --images it was made with",
                base.size(),
                captions.size(),
                missing,
                unused);
    }
}
