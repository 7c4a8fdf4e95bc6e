package eagle.trainer;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.text.Tokenizer;
import eagle.core.text.WordTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a round needs to know about the encoder it starts from, read from the parent's weights: its config,
 * its tokenizer and the class-prompt templates the trainer uses ({@code eagle.trainer.prompt.templates} when
 * set, else the encoder's own, else CLIP's default).
 *
 * @param config    the CLIP config
 * @param tokenizer the encoder's tokenizer
 * @param templates K class-prompt templates, each with {@code {c}} where the class name goes
 * @param metadata  the safetensors metadata a candidate of this encoder carries
 */
public record ParentEncoder(ClipConfig config, Tokenizer tokenizer, List<String> templates,
                            Map<String, String> metadata) {

    static final String CLIP_DEFAULT_TEMPLATE = "a photo of a {c}.";

    public static ParentEncoder read(Path weights, Path baseDir, TrainerSettings settings) throws IOException {
        Map<String, String> meta = Safetensors.readHeader(weights).metadata();
        String configJson = meta.get("eagle.clip_config");
        if (configJson == null) {
            throw new IOException(weights + " carries no eagle.clip_config metadata");
        }
        Tokenizer tokenizer = WordTokenizer.fromJson(Files.readString(baseDir.resolve("tokenizer.json")));
        List<String> templates = settings.prompt().templates().filter(t -> !t.isEmpty())
                .orElse(List.of("This is an image of a {c}"));
        return new ParentEncoder(ClipConfig.fromJson(configJson), tokenizer, normalised(templates),
                Map.of("eagle.clip_config", configJson));
    }

    private static List<String> normalised(List<String> templates) {
        List<String> out = new ArrayList<>();
        for (String t : templates) {
            if (!t.contains("{c}") && !t.contains("{}")) {
                throw new IllegalArgumentException("prompt template '" + t + "' has no {c} or {} for the class name");
            }
            out.add(t.replace("{}", "{c}"));
        }
        return List.copyOf(out);
    }

    /** The K prompts of a class, one per template. */
    public List<String> prompts(String className) {
        return templates.stream().map(t -> t.replace("{c}", className)).toList();
    }

    /** Whether every prompt of the class encodes without an unknown word and without being cut. */
    public boolean canPrompt(String className) {
        for (String prompt : prompts(className)) {
            int[] ids = tokenizer.encode(prompt);
            if (ids.length > tokenizer.contextLength()) {
                return false;
            }
            if (tokenizer instanceof WordTokenizer words) {
                for (int id : ids) {
                    if (id == words.unknownToken()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** (C·K, L) prompt tokens: the K prompts of each class in turn. */
    public int[][] promptTokens(List<String> classNames) {
        List<String> prompts = new ArrayList<>();
        classNames.forEach(c -> prompts.addAll(prompts(c)));
        return tokenizer.encodeBatch(prompts);
    }
}
