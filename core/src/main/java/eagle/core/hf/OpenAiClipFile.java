package eagle.core.hf;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.EncoderSpec;
import eagle.core.model.MetadataKeys;
import eagle.core.text.ClipBpeTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A safetensors file with OpenAI CLIP's state-dict names, the form {@code ClipModel.save} writes:
 * the architecture is read from its {@value MetadataKeys#CLIP_CONFIG} metadata when present, else
 * inferred from the tensor shapes with OpenAI's conventions.
 *
 * <p>Inference (dimension letters W width, D joint width, P patches, L context, V vocabulary):
 *
 * <pre>
 * vision W, p        visual.conv1.weight (W, 3, p, p)
 * P, S               visual.positional_embedding (P+1, W); S = sqrt(P) · p
 * vision layers      1 + the highest i of visual.transformer.resblocks.{i}.ln_1.weight
 * mlpRatio           mlp.c_fc.weight rows / W
 * D                  visual.proj (W, D)
 * V, text W          token_embedding.weight (V, W);  L from positional_embedding (L, W)
 * heads              W / 64, OpenAI's head width (not stored in the weights)
 * activation, eps    QuickGELU, 1e-5 (OpenAI's; not stored in the weights)
 * </pre>
 *
 * What the weights cannot tell (heads, activation, eps) follows OpenAI's CLIP; a model that departs
 * from it must carry the metadata or be given its config.
 */
public final class OpenAiClipFile {

    /** OpenAI's attention head width, used to infer the number of heads. */
    public static final int HEAD_WIDTH = 64;

    private static final Pattern VISION_LN1 =
            Pattern.compile("visual\\.transformer\\.resblocks\\.(\\d+)\\.ln_1\\.weight");
    private static final Pattern TEXT_LN1 =
            Pattern.compile("transformer\\.resblocks\\.(\\d+)\\.ln_1\\.weight");

    private OpenAiClipFile() {}

    /**
     * The file's architecture: its {@value MetadataKeys#CLIP_CONFIG} metadata, or {@link
     * #inferConfig} of its shapes. The tensors are checked against the result.
     *
     * @throws IllegalArgumentException listing every missing, extra and misshaped tensor
     */
    public static ClipConfig configOf(Path file) throws IOException {
        Safetensors.Header header = Safetensors.readHeader(file);
        String json = header.metadata().get(MetadataKeys.CLIP_CONFIG);
        ClipConfig config =
                json != null
                        ? ClipConfig.fromJson(json)
                        : inferConfig(header.shapes(), file.toString());
        Safetensors.requireShapes(file.toString(), config.parameterShapes(), header.shapes());
        return config;
    }

    /**
     * The architecture implied by OpenAI-named shapes (see the class comment).
     *
     * @param source what is read, for messages
     * @throws IllegalArgumentException when a tensor the inference needs is missing or misshaped,
     *     or the width is not a multiple of {@value #HEAD_WIDTH}
     */
    public static ClipConfig inferConfig(Map<String, long[]> shapes, String source) {
        long[] conv1 = need(shapes, "visual.conv1.weight", 4, source);
        long[] visionPositions = need(shapes, "visual.positional_embedding", 2, source);
        long[] proj = need(shapes, "visual.proj", 2, source);
        long[] tokens = need(shapes, "token_embedding.weight", 2, source);
        long[] textPositions = need(shapes, "positional_embedding", 2, source);
        int visionWidth = (int) conv1[0];
        int patch = (int) conv1[2];
        int grid = CheckpointShapes.grid("visual.positional_embedding", visionPositions, 0, source);
        int textWidth = (int) tokens[1];
        int visionLayers = CheckpointShapes.blocks(shapes, VISION_LN1, "vision ", source);
        int textLayers = CheckpointShapes.blocks(shapes, TEXT_LN1, "text ", source);
        long[] visionFc = need(shapes, "visual.transformer.resblocks.0.mlp.c_fc.weight", 2, source);
        long[] textFc = need(shapes, "transformer.resblocks.0.mlp.c_fc.weight", 2, source);
        try {
            return new ClipConfig(
                    new ClipConfig.VisionConfig(
                            grid * patch,
                            patch,
                            visionWidth,
                            visionLayers,
                            heads(visionWidth, source),
                            (double) visionFc[0] / visionWidth,
                            ClipConfig.Activation.QUICK_GELU,
                            1e-5),
                    new ClipConfig.TextConfig(
                            (int) textPositions[0],
                            (int) tokens[0],
                            textWidth,
                            textLayers,
                            heads(textWidth, source),
                            (double) textFc[0] / textWidth,
                            ClipConfig.Activation.QUICK_GELU,
                            1e-5),
                    (int) proj[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    source + ": cannot infer the architecture: " + e.getMessage(), e);
        }
    }

    /**
     * Writes our tensors with {@code config} in the metadata, so {@code ClipModel.load(file,
     * device)} reads it; a config with CLIP's vocabulary also gets the rest of its {@link
     * EncoderSpec#clipBpe EncoderSpec} (CLIP's BPE, the preset it equals). {@code tensors} must
     * match {@code config.parameterShapes()}.
     */
    public static void write(Path file, ClipConfig config, Map<String, Safetensors.Tensor> tensors)
            throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.forEach((name, t) -> shapes.put(name, t.shape()));
        Safetensors.requireShapes("tensors for " + file, config.parameterShapes(), shapes);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        if (config.text().vocabSize() == ClipBpeTokenizer.VOCAB_SIZE) {
            metadata.putAll(EncoderSpec.clipBpe(config).metadata());
        }
        metadata.put(MetadataKeys.CLIP_CONFIG, config.toJson());
        Safetensors.writeTensors(file, tensors, metadata);
    }

    private static int heads(int width, String source) {
        if (width % HEAD_WIDTH != 0) {
            throw new IllegalArgumentException(
                    source
                            + ": width "
                            + width
                            + " is not a multiple of OpenAI's head width "
                            + HEAD_WIDTH
                            + ", so the number of heads cannot be inferred; give the config explicitly");
        }
        return width / HEAD_WIDTH;
    }

    private static long[] need(Map<String, long[]> shapes, String name, int rank, String source) {
        return CheckpointShapes.need(shapes, name, rank, source, "");
    }
}
