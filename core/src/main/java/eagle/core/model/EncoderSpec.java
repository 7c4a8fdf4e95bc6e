package eagle.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.hf.OpenAiClipFile;
import eagle.core.io.Safetensors;
import eagle.core.text.ClipBpeTokenizer;
import eagle.core.text.PromptTemplates;
import eagle.core.text.Tokenizer;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to rebuild an encoder and its tokenizer from what a version carries
 * (docs/METHOD.md §1): the architecture, the tokenizer and the class-prompt templates the encoder
 * was pretrained with. A model file carries it as safetensors metadata ({@link #metadata()}), a
 * registry version as its {@code architecture} JSON ({@link #toJson()}, docs/ARCHITECTURE.md,
 * Registry):
 *
 * <pre>
 * {"family":"openai-clip"|"eva01-clip","preset":"ViT-B-16"|null,"config":{ClipConfig JSON},
 *  "tokenizer":{TokenizerSpec JSON},"promptTemplates":["a photo of a {}.", …]}
 * </pre>
 *
 * @param family {@value #OPENAI_CLIP} or {@value #EVA01_CLIP}, the config's {@link
 *     ClipConfig#family()}
 * @param preset the {@link ClipConfig#PRESETS preset} the config came from, or null for an explicit
 *     one
 * @param config the architecture
 * @param tokenizer the tokenizer the text tower reads; its ids fit the text tower's vocabulary and
 *     its rows its context length
 * @param promptTemplates the class-prompt templates the encoder was pretrained with; empty means
 *     CLIP's default ({@link PromptTemplates#DEFAULT})
 */
public record EncoderSpec(
        String family,
        String preset,
        ClipConfig config,
        TokenizerSpec tokenizer,
        List<String> promptTemplates) {

    /** OpenAI CLIP's structure and state-dict names. */
    public static final String OPENAI_CLIP = ClipConfig.OPENAI_CLIP;

    /**
     * EVA01-CLIP's image tower (BLIP-2's and InstructBLIP's encoder) beside an OpenAI-structured
     * text tower.
     */
    public static final String EVA01_CLIP = ClipConfig.EVA01_CLIP;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @throws IllegalArgumentException for an unknown family, a missing config or tokenizer, a
     *     tokenizer whose ids or rows do not fit the text tower, or a template without a class
     *     placeholder
     */
    public EncoderSpec {
        if (!OPENAI_CLIP.equals(family) && !EVA01_CLIP.equals(family)) {
            throw new IllegalArgumentException(
                    "unknown encoder family '"
                            + family
                            + "'; known: "
                            + OPENAI_CLIP
                            + ", "
                            + EVA01_CLIP);
        }
        if (config == null || tokenizer == null) {
            throw new IllegalArgumentException("an encoder spec needs a config and a tokenizer");
        }
        if (!family.equals(config.family())) {
            throw new IllegalArgumentException(
                    "encoder family "
                            + family
                            + " does not match the config's image tower "
                            + config.family());
        }
        if (tokenizer.vocabSize() > config.text().vocabSize()) {
            throw new IllegalArgumentException(
                    "tokenizer "
                            + tokenizer.describe()
                            + " emits "
                            + tokenizer.vocabSize()
                            + " ids but the text tower's vocabulary holds "
                            + config.text().vocabSize());
        }
        if (tokenizer.contextLength() > config.text().contextLength()) {
            throw new IllegalArgumentException(
                    "tokenizer "
                            + tokenizer.describe()
                            + " has context length "
                            + tokenizer.contextLength()
                            + " but the text tower reads at most "
                            + config.text().contextLength());
        }
        promptTemplates = promptTemplates == null ? List.of() : List.copyOf(promptTemplates);
        if (!promptTemplates.isEmpty()) {
            new PromptTemplates(promptTemplates); // validates the placeholders
        }
    }

    /**
     * A preset with CLIP's vocabulary ({@code ViT-B-16}, {@code ViT-L-14}, {@code ViT-L-14-336},
     * {@code EVA01-CLIP-g-14}) with CLIP's BPE over its context length, CLIP's default prompt and
     * the preset's family. {@code tiny} and {@code EVA01-tiny} have no fixed tokenizer: use {@link
     * #of(ClipConfig, TokenizerSpec, List)}.
     *
     * @throws IllegalArgumentException for an unknown preset or {@code tiny}
     */
    public static EncoderSpec preset(String name) {
        ClipConfig config = ClipConfig.preset(name);
        if (config.text().vocabSize() != ClipBpeTokenizer.VOCAB_SIZE) {
            throw new IllegalArgumentException(
                    "preset "
                            + name
                            + " has no fixed tokenizer; give its TokenizerSpec with EncoderSpec.of");
        }
        return new EncoderSpec(
                config.family(),
                name,
                config,
                TokenizerSpec.clipBpe(config.text().contextLength()),
                List.of());
    }

    /**
     * A config with CLIP's vocabulary ({@value ClipBpeTokenizer#VOCAB_SIZE} ids) read by the
     * bundled BPE over its context length, CLIP's default prompt, and the name of the preset it
     * equals, if any (e.g. a converted OpenAI checkpoint).
     *
     * @throws IllegalArgumentException when the text tower's vocabulary is not CLIP's
     */
    public static EncoderSpec clipBpe(ClipConfig config) {
        if (config.text().vocabSize() != ClipBpeTokenizer.VOCAB_SIZE) {
            throw new IllegalArgumentException(
                    "a text vocabulary of "
                            + config.text().vocabSize()
                            + " ids is not CLIP's "
                            + ClipBpeTokenizer.VOCAB_SIZE
                            + "; give its TokenizerSpec with EncoderSpec.of");
        }
        String preset =
                java.util.stream.Stream.concat(
                                ClipConfig.PRESETS.stream(), ClipConfig.EVA_PRESETS.stream())
                        .filter(name -> ClipConfig.preset(name).equals(config))
                        .findFirst()
                        .orElse(null);
        return new EncoderSpec(
                config.family(),
                preset,
                config,
                TokenizerSpec.clipBpe(config.text().contextLength()),
                List.of());
    }

    /** An explicit config (no preset name) of the config's family. */
    public static EncoderSpec of(
            ClipConfig config, TokenizerSpec tokenizer, List<String> promptTemplates) {
        return new EncoderSpec(config.family(), null, config, tokenizer, promptTemplates);
    }

    /** The tokenizer, built (see {@link TokenizerSpec#create()}). */
    public Tokenizer createTokenizer() {
        return tokenizer.create();
    }

    /**
     * The prompt templates to use: the encoder's own, or {@link PromptTemplates#DEFAULT} when it
     * has none.
     */
    public PromptTemplates prompts() {
        return promptTemplates.isEmpty()
                ? PromptTemplates.DEFAULT
                : new PromptTemplates(promptTemplates);
    }

    /** A copy with other prompt templates. */
    public EncoderSpec withPromptTemplates(List<String> templates) {
        return new EncoderSpec(family, preset, config, tokenizer, templates);
    }

    /**
     * The safetensors metadata entries that carry this spec ({@link MetadataKeys}); writers add
     * their own entries beside them.
     */
    public Map<String, String> metadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(MetadataKeys.FAMILY, family);
        if (preset != null) {
            metadata.put(MetadataKeys.PRESET, preset);
        }
        metadata.put(MetadataKeys.CLIP_CONFIG, config.toJson());
        metadata.put(MetadataKeys.TOKENIZER, tokenizer.toJson());
        try {
            metadata.put(MetadataKeys.PROMPTS, JSON.writeValueAsString(promptTemplates));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + promptTemplates, e);
        }
        return metadata;
    }

    /**
     * The spec carried by safetensors metadata. Without {@value MetadataKeys#FAMILY} the family is
     * the config's; without {@value MetadataKeys#PROMPTS} the templates are empty; without {@value
     * MetadataKeys#TOKENIZER} a text tower of CLIP's vocabulary ({@value
     * ClipBpeTokenizer#VOCAB_SIZE}) reads CLIP's bundled BPE, any other is refused.
     *
     * @throws IllegalArgumentException when the config is missing, an entry is malformed, or the
     *     tokenizer cannot be told
     */
    public static EncoderSpec fromMetadata(Map<String, String> metadata) {
        String configJson = metadata.get(MetadataKeys.CLIP_CONFIG);
        if (configJson == null) {
            throw new IllegalArgumentException(
                    "the model carries no " + MetadataKeys.CLIP_CONFIG + " metadata");
        }
        return fromMetadata(metadata, ClipConfig.fromJson(configJson));
    }

    /**
     * The spec carried by a model file, read from its header only; a file without {@value
     * MetadataKeys#CLIP_CONFIG} gets the config OpenAI's conventions infer from its tensor shapes.
     * The tensors' names and shapes are checked against the config.
     *
     * @throws IllegalArgumentException when the file is malformed, its tensors do not fit the
     *     config, or the spec cannot be told (see {@link #fromMetadata})
     */
    public static EncoderSpec read(Path safetensors) throws IOException {
        Safetensors.Header header = Safetensors.readHeader(safetensors);
        String configJson = header.metadata().get(MetadataKeys.CLIP_CONFIG);
        ClipConfig config =
                configJson != null
                        ? ClipConfig.fromJson(configJson)
                        : OpenAiClipFile.inferConfig(header.shapes(), safetensors.toString());
        Safetensors.requireShapes(
                safetensors.toString(), config.parameterShapes(), header.shapes());
        try {
            return fromMetadata(header.metadata(), config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(safetensors + ": " + e.getMessage(), e);
        }
    }

    private static EncoderSpec fromMetadata(Map<String, String> metadata, ClipConfig config) {
        String family = metadata.getOrDefault(MetadataKeys.FAMILY, config.family());
        String tokenizerJson = metadata.get(MetadataKeys.TOKENIZER);
        TokenizerSpec tokenizer;
        if (tokenizerJson != null) {
            tokenizer = TokenizerSpec.fromJson(tokenizerJson);
        } else if (config.text().vocabSize() == ClipBpeTokenizer.VOCAB_SIZE) {
            tokenizer = TokenizerSpec.clipBpe(config.text().contextLength());
        } else {
            throw new IllegalArgumentException(
                    "the model's text vocabulary has "
                            + config.text().vocabSize()
                            + " ids, not CLIP's "
                            + ClipBpeTokenizer.VOCAB_SIZE
                            + ", and it carries no "
                            + MetadataKeys.TOKENIZER
                            + " metadata");
        }
        List<String> templates = List.of();
        String promptsJson = metadata.get(MetadataKeys.PROMPTS);
        if (promptsJson != null) {
            try {
                templates = JSON.readValue(promptsJson, new TypeReference<List<String>>() {});
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        MetadataKeys.PROMPTS
                                + " is not a JSON array of strings: "
                                + e.getOriginalMessage(),
                        e);
            }
        }
        return new EncoderSpec(
                family, metadata.get(MetadataKeys.PRESET), config, tokenizer, templates);
    }

    /**
     * Why a model of this spec cannot take the weights of, or be compared with, a model of {@code
     * other}: every difference of family, architecture (e.g. {@code vision width 768 != 1024}) or
     * tokenizer (e.g. {@code tokenizer clip-bpe(924691ac…, L 77) != words(32, L 32)}), joined by ";
     * ". Empty when they agree; the preset name and the prompt templates do not count.
     */
    public Optional<String> differenceFrom(EncoderSpec other) {
        List<String> differences = new ArrayList<>();
        if (!family.equals(other.family)) {
            differences.add("family " + family + " != " + other.family);
        }
        compareRecords("vision", config.vision(), other.config.vision(), differences);
        compareRecords("text", config.text(), other.config.text(), differences);
        if (config.embedDim() != other.config.embedDim()) {
            differences.add("embedDim " + config.embedDim() + " != " + other.config.embedDim());
        }
        if (!tokenizer.equals(other.tokenizer)) {
            String mine = tokenizer.describe();
            String theirs = other.tokenizer.describe();
            if (mine.equals(theirs)) { // same kind and sizes: the vocabularies themselves differ
                boolean words = tokenizer.kind().equals(TokenizerSpec.WORDS);
                mine = words ? "words " + tokenizer.words() : "clip-bpe " + tokenizer.vocabSha256();
                theirs =
                        words
                                ? "words " + other.tokenizer.words()
                                : "clip-bpe " + other.tokenizer.vocabSha256();
            }
            differences.add("tokenizer " + mine + " != " + theirs);
        }
        return differences.isEmpty()
                ? Optional.empty()
                : Optional.of(String.join("; ", differences));
    }

    /** "tower field a != b" for each component of two records of the same type that differs. */
    private static void compareRecords(
            String tower, Record mine, Record theirs, List<String> differences) {
        for (RecordComponent component : mine.getClass().getRecordComponents()) {
            try {
                Object a = component.getAccessor().invoke(mine);
                Object b = component.getAccessor().invoke(theirs);
                if (!Objects.equals(a, b)) {
                    differences.add(tower + " " + component.getName() + " " + a + " != " + b);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
        }
    }

    /** This spec as JSON, the registry's {@code architecture} form (see the class comment). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + this, e);
        }
    }

    /**
     * Parses {@link #toJson()}'s form; a missing {@code promptTemplates} is empty. A bare {@link
     * ClipConfig} JSON (an architecture recorded before encoder specs) is read as {@link
     * #fromMetadata} reads a file without {@value MetadataKeys#TOKENIZER}: CLIP's vocabulary means
     * CLIP's bundled BPE, any other is refused.
     *
     * @throws IllegalArgumentException when the JSON is malformed or the spec invalid
     */
    public static EncoderSpec fromJson(String json) {
        try {
            JsonNode tree = JSON.readTree(json);
            if (tree != null
                    && tree.isObject()
                    && tree.has("vision")
                    && tree.has("text")
                    && !tree.has("config")) {
                return fromMetadata(Map.of(MetadataKeys.CLIP_CONFIG, json));
            }
            return JSON.treeToValue(tree, EncoderSpec.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw new IllegalArgumentException(
                    "invalid encoder spec JSON: " + e.getOriginalMessage(), e);
        }
    }
}
