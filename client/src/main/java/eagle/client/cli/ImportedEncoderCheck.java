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
 * The checks behind {@link EncoderImport#check}, one per {@link EncoderImport.Format}: each reads
 * headers and configs (and a folder's tokenizer files), not the tensor data, and answers the
 * weights' {@link EncoderSpec} or refuses them with an {@link IllegalArgumentException} that gives
 * every reason.
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
 */
final class ImportedEncoderCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImportedEncoderCheck() {}

    /** {@code --from openai}: the spec of a safetensors file with OpenAI names. */
    static EncoderSpec openAi(Path source) throws IOException {
        Path file = requireFile(source, "openai");
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

    /**
     * {@code --from hf}: a Hugging Face CLIPModel folder, its config, tokenizer files and header.
     */
    static EncoderSpec hf(Path folder) throws IOException {
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
     * {@code --from eva}: EVA-CLIP's names, header only: the architecture inferred from the shapes
     * (or {@code explicit}, when not null), every tensor checked.
     */
    static EncoderSpec eva(Path source, ClipConfig explicit) throws IOException {
        Path file = requireFile(source, "eva");
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

    /** {@code --from openclip}: an OpenCLIP folder, header and config only. */
    static EncoderSpec openClip(Path folder) throws IOException {
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
}
