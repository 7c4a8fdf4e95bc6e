package eagle.gateway;

import eagle.client.Sha256;
import eagle.client.Version;
import eagle.core.hf.HfClipExport;
import eagle.core.hf.LavisEvaFile;
import eagle.core.io.Safetensors;
import eagle.core.model.EncoderSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The layouts a {@link LoadedEncoder} derives from its verified weights file, each with its own
 * digest: the Hugging Face folder (an OpenAI-CLIP encoder), the LAVIS {@code visual_encoder} file
 * (an EVA01-CLIP encoder, {@link LavisEvaFile}), and the image tower alone ({@link
 * #writeVisualTower}).
 */
final class DerivedLayouts {

    private static final String VISUAL_PREFIX = "visual.";

    /**
     * What {@link #write} wrote: the Hugging Face files by name (empty for an EVA01-CLIP encoder),
     * the LAVIS file (null for an OpenAI-CLIP encoder) and the image tower.
     */
    record Written(Map<String, ServedFile> hf, ServedFile lavis, ServedFile visual) {}

    private DerivedLayouts() {}

    /**
     * Writes the Hugging Face folder under {@code hfFolder} (an OpenAI-CLIP encoder) or the LAVIS
     * file beside it (an EVA01-CLIP encoder), then the image-tower file beside it.
     */
    static Written write(Version version, Path verifiedFile, EncoderSpec spec, Path hfFolder)
            throws IOException {
        Files.createDirectories(hfFolder.getParent());
        Map<String, ServedFile> hf = new LinkedHashMap<>();
        ServedFile lavis = null;
        if (spec.config().isEva()) {
            Path lavisFile =
                    hfFolder.resolveSibling(
                            hfFolder.getFileName() + "-" + LoadedEncoder.LAVIS_FILE);
            LavisEvaFile.export(verifiedFile, lavisFile);
            lavis = served(lavisFile, "application/octet-stream", version);
        } else {
            HfClipExport.write(verifiedFile, hfFolder);
            for (String name : LoadedEncoder.HF_FILES) {
                Path p = hfFolder.resolve(name);
                String type =
                        name.endsWith(".json") ? "application/json" : "application/octet-stream";
                hf.put(name, served(p, type, version));
            }
        }
        Path visualFile =
                hfFolder.resolveSibling(hfFolder.getFileName() + "-" + LoadedEncoder.VISUAL_FILE);
        writeVisualTower(verifiedFile, spec, visualFile);
        ServedFile visual = served(visualFile, "application/octet-stream", version);
        return new Written(Map.copyOf(hf), lavis, visual);
    }

    /** A written file, with the digest and size it has on disk, attributed to {@code version}. */
    private static ServedFile served(Path file, String type, Version version) throws IOException {
        return new ServedFile(
                file,
                Sha256.of(file),
                Files.size(file),
                type,
                version.model(),
                version.version(),
                version.sha256());
    }

    /**
     * The image tower alone, as its own module names its state dict: every {@code visual.*} tensor
     * with the {@code visual.} prefix removed, float32. For an OpenAI-CLIP encoder these are
     * OpenAI's {@code VisionTransformer} names ({@code conv1.weight}, {@code class_embedding},
     * {@code positional_embedding}, {@code ln_pre.*}, {@code transformer.resblocks.{i}.*}, {@code
     * ln_post.*}, {@code proj}); for an EVA01-CLIP encoder EVA-CLIP's {@code EVAVisionTransformer}
     * names ({@code patch_embed.proj.*}, {@code cls_token}, {@code pos_embed}, {@code
     * blocks.{i}.*}, {@code norm.*}, {@code head.*}, core/EVA.md). The metadata carries the spec
     * ({@code eagle.family} says which).
     */
    static void writeVisualTower(Path openAiFile, EncoderSpec spec, Path target)
            throws IOException {
        Map<String, Safetensors.Tensor> tower = new LinkedHashMap<>();
        Safetensors.forEachTensor(
                openAiFile,
                (name, shape, values) -> {
                    if (name.startsWith(VISUAL_PREFIX)) {
                        tower.put(
                                name.substring(VISUAL_PREFIX.length()),
                                Safetensors.Tensor.f32(shape, values));
                    }
                });
        if (tower.isEmpty()) {
            throw new IllegalArgumentException(
                    openAiFile + " has no " + VISUAL_PREFIX + "* tensors");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.putAll(spec.metadata()); // the architecture, so a reader can build the tower
        Safetensors.writeTensors(target, tower, metadata);
    }
}
