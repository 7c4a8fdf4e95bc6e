package eagle.core.hf;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * EVA-CLIP's checkpoint layout for EVA01-CLIP models (core/EVA.md), as its {@code .pt} state dict
 * names the tensors once saved as safetensors: the image tower under {@code visual.} ({@code
 * patch_embed.proj}, {@code cls_token}, {@code pos_embed}, {@code
 * blocks.{i}.norm1|attn.qkv|attn.q_bias|attn.v_bias|attn.proj| norm2|mlp.fc1|mlp.fc2}, {@code
 * norm}, {@code head}), the text tower with OpenAI CLIP's names at the top level ({@code
 * token_embedding}, {@code positional_embedding}, {@code transformer.resblocks.{i}.*}, {@code
 * ln_final}, {@code text_projection}) and {@code logit_scale}. These are exactly the names an
 * {@value ClipConfig#EVA01_CLIP} {@code ClipModel} uses, so conversion renames nothing; it checks
 * every name and shape and adds or drops EAGLE's metadata. A checkpoint whose text tower sits under
 * {@code text.} (EVA-CLIP's {@code CustomCLIP} form) is read too, the prefix removed.
 *
 * <p>Architecture inference from the shapes (W width, p patch, P patches, M MLP width, D joint
 * width):
 *
 * <pre>
 * W, p            visual.patch_embed.proj.weight (W, 3, p, p);  S = sqrt(P) · p from visual.pos_embed (1, P+1, W)
 * layers          1 + the highest i of visual.blocks.{i}.norm1.weight
 * mlpRatio        M / W from visual.blocks.0.mlp.fc1.weight (M, W)
 * D               visual.head.weight (D, W)
 * heads           W / 88, EVA01's head width (not stored in the weights)
 * activation, eps GELU and 1e-6 (vision), GELU and 1e-5 (text): EVA-CLIP's, not stored in the weights
 * text            as {@link OpenAiClipFile#inferConfig} (heads W / 64)
 * </pre>
 */
public final class EvaClipFile {

    /** EVA01's attention head width ({@code head_width} of EVA-CLIP's EVA01 configs). */
    public static final int HEAD_WIDTH = 88;

    /** The prefix of the text tower in EVA-CLIP's {@code CustomCLIP} form. */
    public static final String CUSTOM_TEXT_PREFIX = "text.";

    private static final Pattern BLOCK_NORM1 =
            Pattern.compile("visual\\.blocks\\.(\\d+)\\.norm1\\.weight");
    private static final Pattern TEXT_LN1 =
            Pattern.compile("transformer\\.resblocks\\.(\\d+)\\.ln_1\\.weight");

    private EvaClipFile() {}

    /**
     * Our tensors from an EVA-CLIP checkpoint's: the names unchanged but for a {@code text.} prefix
     * removed.
     *
     * @param config the architecture, or null to infer it from the shapes (see the class comment)
     * @return the config and our tensors in {@link ClipConfig#parameterShapes()} order
     * @throws IllegalArgumentException naming every missing, unknown and misshaped tensor, or when
     *     the config is not an EVA01-CLIP one
     */
    public static HfClipImport.Imported fromEvaClip(
            Map<String, Safetensors.Tensor> evaClip, ClipConfig config, String source) {
        Map<String, Safetensors.Tensor> renamed = new LinkedHashMap<>();
        evaClip.forEach(
                (name, tensor) ->
                        renamed.put(
                                name.startsWith(CUSTOM_TEXT_PREFIX)
                                        ? name.substring(CUSTOM_TEXT_PREFIX.length())
                                        : name,
                                tensor));
        if (renamed.size() != evaClip.size()) {
            throw new IllegalArgumentException(
                    source + " names some text tensors both with and without 'text.'");
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        renamed.forEach((name, tensor) -> shapes.put(name, tensor.shape()));
        ClipConfig resolved = config != null ? config : inferConfig(shapes, source);
        if (!resolved.isEva()) {
            throw new IllegalArgumentException(
                    source
                            + ": the config's image tower is "
                            + resolved.family()
                            + ", not "
                            + ClipConfig.EVA01_CLIP);
        }
        Safetensors.requireShapes(source, resolved.parameterShapes(), shapes);
        Map<String, Safetensors.Tensor> ordered = new LinkedHashMap<>();
        resolved.parameterShapes().keySet().forEach(name -> ordered.put(name, renamed.get(name)));
        return new HfClipImport.Imported(resolved, ordered);
    }

    /**
     * Converts an EVA-CLIP safetensors checkpoint into our file (the architecture and encoder spec
     * in its metadata, which {@code ClipModel.load(file, device)} reads).
     *
     * @param config the architecture, or null to infer it
     * @return the architecture
     */
    public static ClipConfig convert(Path evaClipFile, Path ourFile, ClipConfig config)
            throws IOException {
        HfClipImport.Imported imported =
                fromEvaClip(Safetensors.readAll(evaClipFile), config, evaClipFile.toString());
        OpenAiClipFile.write(ourFile, imported.config(), imported.tensors());
        return imported.config();
    }

    /**
     * Writes our EVA01-CLIP file in EVA-CLIP's layout: the same tensors and names, float32, with
     * only {@code format: pt} as metadata (EVA-CLIP's loader reads no other).
     *
     * @return the architecture
     * @throws IllegalArgumentException when the file is not an EVA01-CLIP model
     */
    public static ClipConfig export(Path ourFile, Path evaClipFile) throws IOException {
        ClipConfig config = OpenAiClipFile.configOf(ourFile);
        if (!config.isEva()) {
            throw new IllegalArgumentException(
                    ourFile
                            + " is an "
                            + config.family()
                            + " model, not "
                            + ClipConfig.EVA01_CLIP
                            + "; EVA-CLIP's layout holds EVA01 image towers only");
        }
        Safetensors.writeTensors(evaClipFile, Safetensors.readAll(ourFile), Map.of("format", "pt"));
        return config;
    }

    /**
     * The EVA01-CLIP architecture implied by EVA-CLIP-named shapes (see the class comment).
     *
     * @throws IllegalArgumentException when a tensor the inference needs is missing or misshaped
     */
    public static ClipConfig inferConfig(Map<String, long[]> shapes, String source) {
        long[] patch = need(shapes, "visual.patch_embed.proj.weight", 4, source);
        long[] positions = need(shapes, "visual.pos_embed", 3, source);
        long[] head = need(shapes, "visual.head.weight", 2, source);
        long[] fc1 = need(shapes, "visual.blocks.0.mlp.fc1.weight", 2, source);
        int width = (int) patch[0];
        int patchSize = (int) patch[2];
        int grid = CheckpointShapes.grid("visual.pos_embed", positions, 1, source);
        if (width % HEAD_WIDTH != 0) {
            throw new IllegalArgumentException(
                    source
                            + ": width "
                            + width
                            + " is not a multiple of EVA01's head width "
                            + HEAD_WIDTH
                            + ", so the number of heads cannot be inferred; give the config explicitly");
        }
        int layers = CheckpointShapes.blocks(shapes, BLOCK_NORM1, "", source);
        ClipConfig.VisionConfig vision;
        try {
            vision =
                    new ClipConfig.VisionConfig(
                            grid * patchSize,
                            patchSize,
                            width,
                            layers,
                            width / HEAD_WIDTH,
                            mlpRatio((int) fc1[0], width),
                            ClipConfig.Activation.GELU,
                            1e-6);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    source + ": cannot infer the architecture: " + e.getMessage(), e);
        }
        long[] tokens = need(shapes, "token_embedding.weight", 2, source);
        long[] textPositions = need(shapes, "positional_embedding", 2, source);
        long[] textFc = need(shapes, "transformer.resblocks.0.mlp.c_fc.weight", 2, source);
        int textWidth = (int) tokens[1];
        if (textWidth % OpenAiClipFile.HEAD_WIDTH != 0) {
            throw new IllegalArgumentException(
                    source
                            + ": text width "
                            + textWidth
                            + " is not a multiple of "
                            + OpenAiClipFile.HEAD_WIDTH
                            + "; give the config explicitly");
        }
        try {
            return new ClipConfig(
                    vision,
                    new ClipConfig.TextConfig(
                            (int) textPositions[0],
                            (int) tokens[0],
                            textWidth,
                            CheckpointShapes.blocks(shapes, TEXT_LN1, "", source),
                            textWidth / OpenAiClipFile.HEAD_WIDTH,
                            (double) textFc[0] / textWidth,
                            ClipConfig.Activation.GELU,
                            1e-5),
                    (int) head[0],
                    ClipConfig.EVA01_CLIP);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    source + ": cannot infer the architecture: " + e.getMessage(), e);
        }
    }

    /**
     * A ratio r with {@code (int) (width · r) == mlpWidth}, as EVA's truncating MLP width needs.
     */
    static double mlpRatio(int mlpWidth, int width) {
        double ratio = (double) mlpWidth / width;
        while ((int) (width * ratio) < mlpWidth) {
            ratio = Math.nextUp(ratio);
        }
        return ratio;
    }

    private static long[] need(Map<String, long[]> shapes, String name, int rank, String source) {
        return CheckpointShapes.need(
                shapes, name, rank, source, " (is it an EVA-CLIP EVA01 checkpoint?)");
    }
}
