package eagle.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.hf.EvaClipFile;
import eagle.core.hf.HfClipConfig;
import eagle.core.hf.HfClipExport;
import eagle.core.hf.HfClipImport;
import eagle.core.hf.OpenClipCheckpoint;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.EncoderSpec;
import eagle.core.model.MetadataKeys;
import eagle.core.model.TokenizerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks encoder weights someone brings and turns them into the file the registry stores: OpenAI
 * CLIP's state-dict names, the {@link EncoderSpec} (architecture and tokenizer) and a {@link
 * ModelCard} in the safetensors metadata. Everything is checked here, before anything is sent
 * anywhere:
 *
 * <ul>
 *   <li>{@code openai}: a {@code .safetensors} file with OpenAI names. The architecture is its
 *       {@value MetadataKeys#CLIP_CONFIG} metadata or inferred from the shapes ({@link
 *       EncoderSpec#read}), and every tensor must match it: a missing, unknown or misshaped name is
 *       refused, all of them in one message. The tokenizer is its {@value MetadataKeys#TOKENIZER}
 *       metadata, else CLIP's BPE when the text vocabulary is CLIP's (49408), else the file is
 *       refused (its tokenizer is unknown).
 *   <li>{@code hf}: a Hugging Face {@code CLIPModel} folder ({@code config.json} + {@code
 *       model.safetensors}), read by {@link HfClipImport} (every tensor checked against {@code
 *       config.json}). The tokenizer is CLIP's BPE: the text vocabulary must be 49408, and the
 *       folder's tokenizer files, where present ({@code vocab.json}, {@code merges.txt}, {@code
 *       tokenizer.json}), must be CLIP's vocabulary ({@link ClipVocabularyCheck}).
 *   <li>{@code eva}: an EVA-CLIP EVA01 checkpoint as a {@code .safetensors} file (EVA-CLIP's names,
 *       {@code visual.blocks.*}; text tower at the top level or under {@code text.}), architecture
 *       inferred from the shapes by {@link EvaClipFile} (core/EVA.md) or given explicitly (a width
 *       that is not a multiple of 88); CLIP's BPE, so the text vocabulary must be 49408.
 *   <li>{@code openclip}: an OpenCLIP hub folder ({@code open_clip_config.json} + {@code
 *       open_clip_model.safetensors}) read by {@link OpenClipCheckpoint} with the config's sizes
 *       and activation; CLIP's BPE as for {@code hf}.
 * </ul>
 *
 * The OpenAI file's bytes are kept (the header is rewritten with the new metadata, the tensor data
 * copied as it is, whatever its dtype); an HF folder's tensors are converted to float32.
 */
public final class EncoderImport {

    /** The metadata key of the model card (JSON). */
    public static final String MODEL_CARD = "eagle.model_card";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the weights come from. */
    public enum Format {
        /** A safetensors file with OpenAI CLIP names. */
        OPENAI,
        /** A Hugging Face transformers CLIPModel folder. */
        HF,
        /** An EVA-CLIP EVA01 checkpoint as safetensors (core/EVA.md). */
        EVA,
        /** An OpenCLIP hub folder (open_clip_config.json + open_clip_model.safetensors). */
        OPENCLIP;

        /** {@code openai}, {@code hf}, {@code eva} or {@code openclip}. */
        static Format parse(String value) {
            return switch (value) {
                case "openai" -> OPENAI;
                case "hf" -> HF;
                case "eva" -> EVA;
                case "openclip" -> OPENCLIP;
                default ->
                        throw new IllegalArgumentException(
                                "--from must be openai, hf, eva or openclip, was '" + value + "'");
            };
        }
    }

    /**
     * Weights checked and written, ready to upload.
     *
     * @param file the safetensors file to upload (OpenAI names, spec and card in the metadata)
     * @param spec the encoder's architecture and tokenizer (also the registry's {@code
     *     architecture})
     * @param card the model card written into the metadata
     * @param sha256 the file's digest
     * @param sizeBytes the file's size
     */
    public record Prepared(
            Path file, EncoderSpec spec, ModelCard card, String sha256, long sizeBytes) {}

    private EncoderImport() {}

    /**
     * The encoder spec of {@code source} after every check; reads headers and configs only (no
     * tensor data of an OpenAI file; an HF folder's header and config).
     *
     * @throws IllegalArgumentException with every reason the weights are refused
     */
    public static EncoderSpec check(Format format, Path source) throws IOException {
        return check(format, source, null);
    }

    /**
     * As {@link #check(Format, Path)}, with an explicit architecture for an EVA-CLIP checkpoint
     * (needed when its width is not a multiple of EVA01's head width 88, so the heads cannot be
     * inferred, or its activation or epsilons are not EVA01-CLIP's).
     *
     * @param evaConfig the architecture of an {@code eva} checkpoint (an {@value
     *     ClipConfig#EVA01_CLIP} config), or null to infer it; must be null for other formats
     */
    public static EncoderSpec check(Format format, Path source, ClipConfig evaConfig)
            throws IOException {
        if (evaConfig != null && format != Format.EVA) {
            throw new IllegalArgumentException(
                    "an explicit config applies to --from eva only; "
                            + format.name().toLowerCase(java.util.Locale.ROOT)
                            + " weights carry or imply their architecture");
        }
        return switch (format) {
            case OPENAI -> openAiSpec(requireFile(source));
            case HF -> hfSpec(source);
            case EVA -> evaSpec(requireFile(source, "eva"), evaConfig);
            case OPENCLIP -> openClipSpec(source);
        };
    }

    /**
     * Checks {@code source} and writes the file to upload to {@code target}.
     *
     * @param progress told the bytes written so far and the total, for large files
     * @throws IllegalArgumentException with every reason the weights are refused; nothing is
     *     written then
     */
    public static Prepared prepare(
            Format format, Path source, ModelCard card, Path target, Progress progress)
            throws IOException {
        return prepare(format, source, null, card, target, progress);
    }

    /**
     * As {@link #prepare(Format, Path, ModelCard, Path, Progress)}, with an explicit architecture
     * for an EVA-CLIP checkpoint ({@link #check(Format, Path, ClipConfig)}).
     */
    public static Prepared prepare(
            Format format,
            Path source,
            ClipConfig evaConfig,
            ModelCard card,
            Path target,
            Progress progress)
            throws IOException {
        EncoderSpec spec = check(format, source, evaConfig);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.putAll(spec.metadata());
        metadata.put(MODEL_CARD, card.toJson());
        String sha256;
        if (format == Format.OPENAI) {
            sha256 = SafetensorsCopy.withMetadata(source, target, metadata, progress);
        } else {
            HfClipImport.Imported imported =
                    switch (format) {
                        case EVA ->
                                EvaClipFile.fromEvaClip(
                                        Safetensors.readAll(source),
                                        spec.config(),
                                        source.toString());
                        case OPENCLIP -> OpenClipCheckpoint.read(source);
                        default -> HfClipImport.read(source);
                    };
            Safetensors.writeTensors(target, imported.tensors(), metadata);
            sha256 = SafetensorsCopy.sha256(target, progress);
        }
        return new Prepared(target, spec, card, sha256, Files.size(target));
    }

    private static EncoderSpec openAiSpec(Path file) throws IOException {
        boolean declared =
                Safetensors.readHeader(file).metadata().containsKey(MetadataKeys.CLIP_CONFIG);
        EncoderSpec spec;
        try {
            spec = EncoderSpec.read(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    (declared
                                    ? "(architecture from its "
                                            + MetadataKeys.CLIP_CONFIG
                                            + " metadata) "
                                    : "(no "
                                            + MetadataKeys.CLIP_CONFIG
                                            + " metadata: architecture inferred from "
                                            + "the tensor shapes) ")
                            + e.getMessage(),
                    e);
        }
        spec.tokenizer()
                .create(); // a clip-bpe spec naming another vocabulary than core's is refused here
        return spec.preset() != null
                ? spec
                : new EncoderSpec(
                        spec.family(),
                        presetOf(spec.config()),
                        spec.config(),
                        spec.tokenizer(),
                        spec.promptTemplates());
    }

    private static EncoderSpec hfSpec(Path folder) throws IOException {
        ClipConfig config = HfClipImport.readConfig(folder);
        if (config.text().vocabSize() != HfClipConfig.CLIP_BPE_VOCAB_SIZE) {
            throw new IllegalArgumentException(
                    folder.resolve(HfClipExport.CONFIG_FILE)
                            + ": the text vocabulary has "
                            + config.text().vocabSize()
                            + " tokens, CLIP's BPE has "
                            + HfClipConfig.CLIP_BPE_VOCAB_SIZE
                            + "; only CLIP's tokenizer is supported for a Hugging Face folder");
        }
        JsonNode configJson = JSON.readTree(folder.resolve(HfClipExport.CONFIG_FILE).toFile());
        String declared =
                configJson.path("eagle_tokenizer").asText(HfClipConfig.TOKENIZER_CLIP_BPE);
        if (!declared.equals(HfClipConfig.TOKENIZER_CLIP_BPE)) {
            throw new IllegalArgumentException(
                    folder.resolve(HfClipExport.CONFIG_FILE)
                            + " says eagle_tokenizer '"
                            + declared
                            + "', not CLIP's BPE; its tokenizer is not in the folder");
        }
        ClipVocabularyCheck.requireClipVocabulary(folder);
        // every tensor against config.json, header only (the data is read by prepare)
        Path weights = folder.resolve(HfClipExport.WEIGHTS_FILE);
        if (!Files.isRegularFile(weights)) {
            HfClipImport.read(folder); // refuses with the reason (sharded, pytorch_model.bin, none)
        }
        Map<String, long[]> shapes = new LinkedHashMap<>(Safetensors.readHeader(weights).shapes());
        eagle.core.hf.HfClipNames.IGNORED_BUFFERS.forEach(shapes::remove);
        Safetensors.requireShapes(
                weights.toString(), eagle.core.hf.HfClipNames.hfShapes(config), shapes);
        return new EncoderSpec(
                EncoderSpec.OPENAI_CLIP,
                presetOf(config),
                config,
                TokenizerSpec.clipBpe(config.text().contextLength()),
                List.of());
    }

    /**
     * EVA-CLIP's names, header only: the architecture inferred from the shapes, every tensor
     * checked.
     */
    private static EncoderSpec evaSpec(Path file, ClipConfig explicit) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Safetensors.readHeader(file)
                .shapes()
                .forEach(
                        (name, shape) ->
                                shapes.put(
                                        name.startsWith(EvaClipFile.CUSTOM_TEXT_PREFIX)
                                                ? name.substring(
                                                        EvaClipFile.CUSTOM_TEXT_PREFIX.length())
                                                : name,
                                        shape));
        if (explicit != null && !explicit.isEva()) {
            throw new IllegalArgumentException(
                    "the config given for "
                            + file
                            + " describes an "
                            + explicit.family()
                            + " image tower; --from eva needs an "
                            + ClipConfig.EVA01_CLIP
                            + " config (\"visionFamily\":\""
                            + ClipConfig.EVA01_CLIP
                            + "\")");
        }
        ClipConfig config =
                explicit != null ? explicit : EvaClipFile.inferConfig(shapes, file.toString());
        Safetensors.requireShapes(file.toString(), config.parameterShapes(), shapes);
        return clipBpeSpec(config, file.toString());
    }

    /** An OpenCLIP folder, header and config only. */
    private static EncoderSpec openClipSpec(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(
                    folder
                            + " is not a folder; --from openclip reads a folder with "
                            + OpenClipCheckpoint.CONFIG_FILE
                            + " and "
                            + OpenClipCheckpoint.WEIGHTS_FILE);
        }
        ClipConfig config = OpenClipCheckpoint.readConfig(folder);
        Path weights = folder.resolve(OpenClipCheckpoint.WEIGHTS_FILE);
        if (!Files.isRegularFile(weights)) {
            throw new IllegalArgumentException(
                    folder + " has no " + OpenClipCheckpoint.WEIGHTS_FILE);
        }
        Map<String, long[]> shapes = new LinkedHashMap<>(Safetensors.readHeader(weights).shapes());
        shapes.remove(OpenClipCheckpoint.ATTN_MASK);
        Safetensors.requireShapes(weights.toString(), config.parameterShapes(), shapes);
        ClipVocabularyCheck.requireClipVocabulary(folder);
        return clipBpeSpec(config, folder.resolve(OpenClipCheckpoint.CONFIG_FILE).toString());
    }

    private static EncoderSpec clipBpeSpec(ClipConfig config, String source) {
        if (config.text().vocabSize() != HfClipConfig.CLIP_BPE_VOCAB_SIZE) {
            throw new IllegalArgumentException(
                    source
                            + ": the text vocabulary has "
                            + config.text().vocabSize()
                            + " tokens, CLIP's BPE has "
                            + HfClipConfig.CLIP_BPE_VOCAB_SIZE
                            + "; only CLIP's tokenizer is "
                            + "supported for this layout");
        }
        return EncoderSpec.clipBpe(config);
    }

    /** The preset {@code config} is, or null. */
    static String presetOf(ClipConfig config) {
        for (String name : ClipConfig.PRESETS) {
            if (!name.equals("tiny") && ClipConfig.preset(name).equals(config)) {
                return name;
            }
        }
        return null;
    }

    private static Path requireFile(Path file) {
        return requireFile(file, "openai");
    }

    private static Path requireFile(Path file, String from) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    file
                            + (Files.isDirectory(file)
                                    ? " is a folder; --from "
                                            + from
                                            + " reads a .safetensors file (a Hugging Face folder is --from hf, "
                                            + "an OpenCLIP folder --from openclip)"
                                    : " does not exist"));
        }
        return file;
    }

    /** Told how far a long copy has come. */
    public interface Progress {
        /** {@code done} of {@code total} bytes. */
        void bytes(String what, long done, long total);

        /** Says nothing. */
        Progress NONE = (what, done, total) -> {};
    }
}
