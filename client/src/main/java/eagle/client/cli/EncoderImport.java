package eagle.client.cli;

import eagle.core.hf.EvaClipFile;
import eagle.core.hf.HfClipImport;
import eagle.core.hf.OpenClipCheckpoint;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.EncoderSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks encoder weights someone brings and turns them into the file the registry stores: OpenAI
 * CLIP's state-dict names, the {@link EncoderSpec} (architecture and tokenizer) and a {@link
 * ModelCard} in the safetensors metadata. Everything is checked here, before anything is sent
 * anywhere: every tensor name and shape against the architecture, and the tokenizer, as each {@link
 * Format} requires ({@link ImportedEncoderCheck}).
 *
 * <p>The OpenAI file's bytes are kept (the header is rewritten with the new metadata, the tensor
 * data copied as it is, whatever its dtype); the other formats' tensors (an HF folder, an EVA-CLIP
 * checkpoint, an OpenCLIP folder) are read as floats, renamed and written as float32.
 */
public final class EncoderImport {

    /** The metadata key of the model card (JSON). */
    public static final String MODEL_CARD = "eagle.model_card";

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
            case OPENAI -> ImportedEncoderCheck.openAi(source);
            case HF -> ImportedEncoderCheck.hf(source);
            case EVA -> ImportedEncoderCheck.eva(source, evaConfig);
            case OPENCLIP -> ImportedEncoderCheck.openClip(source);
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

    /** Told how far a long copy has come. */
    public interface Progress {
        /** {@code done} of {@code total} bytes. */
        void bytes(String what, long done, long total);

        /** Says nothing. */
        Progress NONE = (what, done, total) -> {};
    }
}
