package eagle.core.hf;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Hugging Face vision tower alone ({@code CLIPVisionModel}, or {@code
 * CLIPVisionModelWithProjection}), e.g. the {@code openai/clip-vit-large-patch14-336} tower
 * LLaVA-1.5 loads, made into a whole model of ours by taking everything the folder lacks from a
 * base file of ours (core/EVA.md):
 *
 * <pre>
 * from the folder   every visual.* tensor it holds (visual.proj only for CLIPVisionModelWithProjection)
 * from the base     the text tower, logit_scale, and visual.proj when the folder has no projection
 * </pre>
 *
 * <p>The folder holds no text tower, so EAGLE's text side (class prompts, docs/METHOD.md §3) then
 * runs on the base's text tower: it must have been trained against this image tower (e.g. the
 * CLIPModel the tower came from) or be kept frozen as a fixed prompt table; a text tower from an
 * unrelated model gives meaningless image-text similarities until trained. A folder without a
 * projection also takes the base's {@code visual.proj}, which is only meaningful when the base is
 * the same CLIP model.
 */
public final class HfVisionOnlyImport {

    private HfVisionOnlyImport() {}

    /**
     * Writes our file from a vision-only folder and a base file of ours (OpenAI family).
     *
     * @return the architecture: the folder's vision tower, the base's text tower and joint width
     * @throws IllegalArgumentException when the base is not an OpenAI-family model, or the folder's
     *     projection width or (without a projection) its width differs from the base's
     */
    public static ClipConfig combine(Path visionFolder, Path baseFile, Path ourFile)
            throws IOException {
        HfClipImport.VisionTower tower = HfClipImport.readVision(visionFolder);
        ClipConfig base = OpenAiClipFile.configOf(baseFile);
        if (base.isEva()) {
            throw new IllegalArgumentException(
                    baseFile
                            + " is an "
                            + base.family()
                            + " model; a Hugging Face CLIP "
                            + "vision tower needs an "
                            + ClipConfig.OPENAI_CLIP
                            + " base for its text tower");
        }
        if (tower.hasProjection() && tower.projectionDim() != base.embedDim()) {
            throw new IllegalArgumentException(
                    visionFolder
                            + " projects into "
                            + tower.projectionDim()
                            + " dimensions but the base's joint width is "
                            + base.embedDim());
        }
        if (!tower.hasProjection() && tower.config().width() != base.vision().width()) {
            throw new IllegalArgumentException(
                    visionFolder
                            + " has no visual_projection, so the base's visual.proj "
                            + "is used, but its width "
                            + tower.config().width()
                            + " != the base's "
                            + base.vision().width());
        }
        ClipConfig config = new ClipConfig(tower.config(), base.text(), base.embedDim());
        Map<String, Safetensors.Tensor> baseTensors = Safetensors.readAll(baseFile);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        for (String name : config.parameterShapes().keySet()) {
            Safetensors.Tensor fromFolder = tower.tensors().get(name);
            tensors.put(name, fromFolder != null ? fromFolder : baseTensors.get(name));
        }
        OpenAiClipFile.write(ourFile, config, tensors);
        return config;
    }
}
