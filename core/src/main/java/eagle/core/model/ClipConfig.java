package eagle.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Architecture of a CLIP model (docs/METHOD.md §1): a vision transformer (OpenAI CLIP's or, by
 * {@link #visionFamily()}, EVA01-CLIP's) over {@code (imageSize/patchSize)²} patches plus a class
 * token, a causal text transformer, and linear heads into a joint space of width {@code embedDim}.
 *
 * <p>Dimension letters: P patches ({@code grid²}), W transformer width, D joint width ({@code
 * embedDim}), L text context length, V vocabulary size, p patch size.
 *
 * <p>Named presets ({@link #preset(String)}):
 *
 * <ul>
 *   <li>{@code tiny}: the embedded default, 64 px, patch 8 (P = 64), vision 4 × 128 (2 heads), text
 *       3 × 128 over 16 tokens and a small word vocabulary, D = 128; trains at well over 40
 *       images/s at batch 32 on 2 CPU cores;
 *   <li>{@code ViT-B-16}, {@code ViT-L-14}, {@code ViT-L-14-336}: OpenAI CLIP's shapes, so their
 *       checkpoints load by name;
 *   <li>{@code EVA01-CLIP-g-14} and its small test twin {@code EVA01-tiny} ({@link #EVA_PRESETS}):
 *       the {@value #EVA01_CLIP} image tower ({@link EvaVisionTransformer}, core/EVA.md) beside an
 *       OpenAI-structured text tower.
 * </ul>
 *
 * <p>The image tower's family ({@link #visionFamily()}) decides its structure and state-dict names:
 * null (absent from the JSON, so configs written before the field read and write unchanged) is
 * OpenAI CLIP's {@link VisionTransformer}; {@value #EVA01_CLIP} is EVA01-CLIP's {@link
 * EvaVisionTransformer}, which reads the same {@link VisionConfig} fields (its {@code mlpRatio}
 * e.g. 4.3637, {@code layerNormEps} 1e-6, GELU).
 *
 * @param vision the image tower
 * @param text the text tower
 * @param embedDim D, the width of the joint image-text space
 * @param visionFamily null for OpenAI CLIP's image tower, {@value #EVA01_CLIP} for EVA01-CLIP's
 */
public record ClipConfig(
        VisionConfig vision,
        TextConfig text,
        int embedDim,
        @JsonInclude(JsonInclude.Include.NON_NULL) String visionFamily) {

    /**
     * The image-tower family of OpenAI CLIP's structure (stored as a null {@link #visionFamily()}).
     */
    public static final String OPENAI_CLIP = "openai-clip";

    /**
     * The image-tower family of EVA01-CLIP (BLIP-2's and InstructBLIP's image encoder),
     * core/EVA.md.
     */
    public static final String EVA01_CLIP = "eva01-clip";

    /** The EVA01-CLIP presets accepted by {@link #preset(String)}; not in {@link #PRESETS}. */
    public static final List<String> EVA_PRESETS = List.of("EVA01-CLIP-g-14", "EVA01-tiny");

    /**
     * Vocabulary size of the {@code tiny} preset when none is given (a word vocabulary of up to 252
     * words).
     */
    public static final int TINY_DEFAULT_VOCAB_SIZE = 256;

    /** Names accepted by {@link #preset(String)}. */
    public static final List<String> PRESETS =
            List.of("tiny", "ViT-B-16", "ViT-L-14", "ViT-L-14-336");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The MLP non-linearity of the residual blocks. */
    public enum Activation {
        /** OpenAI CLIP's {@code x * sigmoid(1.702 x)}. */
        QUICK_GELU,
        /** The exact GELU {@code x * Φ(x)}. */
        GELU
    }

    /**
     * The image tower.
     *
     * @param imageSize S, side of the square input in pixels
     * @param patchSize p, side of a patch; S must be a multiple of p
     * @param width W
     * @param layers number of residual attention blocks
     * @param heads attention heads; W must be a multiple of heads (CLIP: W / 64)
     * @param mlpRatio hidden width of the MLP over W (CLIP: 4)
     * @param activation MLP non-linearity
     * @param layerNormEps epsilon of every layer norm (CLIP: 1e-5)
     */
    public record VisionConfig(
            int imageSize,
            int patchSize,
            int width,
            int layers,
            int heads,
            double mlpRatio,
            Activation activation,
            double layerNormEps) {

        public VisionConfig {
            requirePositive("vision.imageSize", imageSize);
            requirePositive("vision.patchSize", patchSize);
            requireTower("vision", width, layers, heads, mlpRatio, activation, layerNormEps);
            if (imageSize % patchSize != 0) {
                throw new IllegalArgumentException(
                        "vision.imageSize "
                                + imageSize
                                + " is not a multiple of vision.patchSize "
                                + patchSize);
            }
        }

        /** Patches per side, {@code S / p}. */
        public int grid() {
            return imageSize / patchSize;
        }

        /** P, the number of patch tokens, {@code grid²}. */
        public int numPatches() {
            return grid() * grid();
        }

        /** Hidden width of the MLP, {@code round(W · mlpRatio)}. */
        public int mlpWidth() {
            return (int) Math.round(width * mlpRatio);
        }
    }

    /**
     * The text tower.
     *
     * @param contextLength L, the longest token sequence
     * @param vocabSize V
     * @param width W
     * @param layers number of residual attention blocks
     * @param heads attention heads; W must be a multiple of heads
     * @param mlpRatio hidden width of the MLP over W (CLIP: 4)
     * @param activation MLP non-linearity
     * @param layerNormEps epsilon of every layer norm (CLIP: 1e-5)
     */
    public record TextConfig(
            int contextLength,
            int vocabSize,
            int width,
            int layers,
            int heads,
            double mlpRatio,
            Activation activation,
            double layerNormEps) {

        public TextConfig {
            requirePositive("text.contextLength", contextLength);
            requirePositive("text.vocabSize", vocabSize);
            requireTower("text", width, layers, heads, mlpRatio, activation, layerNormEps);
        }

        /** Hidden width of the MLP, {@code round(W · mlpRatio)}. */
        public int mlpWidth() {
            return (int) Math.round(width * mlpRatio);
        }
    }

    @JsonCreator
    public ClipConfig {
        if (vision == null || text == null) {
            throw new IllegalArgumentException("vision and text configs are required");
        }
        requirePositive("embedDim", embedDim);
        if (OPENAI_CLIP.equals(visionFamily)) {
            visionFamily = null;
        }
        if (visionFamily != null && !visionFamily.equals(EVA01_CLIP)) {
            throw new IllegalArgumentException(
                    "unknown vision family '"
                            + visionFamily
                            + "'; known: "
                            + OPENAI_CLIP
                            + ", "
                            + EVA01_CLIP);
        }
    }

    /** A config with OpenAI CLIP's image tower. */
    public ClipConfig(VisionConfig vision, TextConfig text, int embedDim) {
        this(vision, text, embedDim, null);
    }

    /** The image tower's family, {@value #OPENAI_CLIP} or {@value #EVA01_CLIP} (never null). */
    @JsonIgnore
    public String family() {
        return visionFamily == null ? OPENAI_CLIP : visionFamily;
    }

    /** Whether the image tower is EVA01-CLIP's. */
    @JsonIgnore
    public boolean isEva() {
        return EVA01_CLIP.equals(visionFamily);
    }

    /**
     * The {@code tiny} preset with the default vocabulary size {@value #TINY_DEFAULT_VOCAB_SIZE}.
     */
    public static ClipConfig tiny() {
        return tiny(TINY_DEFAULT_VOCAB_SIZE);
    }

    /**
     * The embedded default: 64 px images in 8 px patches (P = 64), a 4-layer, 128-wide vision tower
     * with 2 heads, a 3-layer, 128-wide text tower over 16 tokens, D = 128, QuickGELU.
     *
     * @param vocabSize V of the word tokenizer the text tower reads
     */
    public static ClipConfig tiny(int vocabSize) {
        return tiny(vocabSize, 16);
    }

    /**
     * The {@code tiny} preset with a text context of {@code contextLength} tokens (the embedded
     * base's pre-training uses 32).
     */
    public static ClipConfig tiny(int vocabSize, int contextLength) {
        return new ClipConfig(
                new VisionConfig(64, 8, 128, 4, 2, 4.0, Activation.QUICK_GELU, 1e-5),
                new TextConfig(
                        contextLength, vocabSize, 128, 3, 2, 4.0, Activation.QUICK_GELU, 1e-5),
                128);
    }

    /**
     * EVA01-CLIP-g-14's structure at test size: 32 px images in 8 px patches (P = 16), an EVA image
     * tower 64 wide with 2 blocks of 2 heads and an MLP of 176 (ratio 2.75), LayerNorm eps 1e-6,
     * GELU; a 2-layer, 32-wide GELU text tower over 16 tokens; D = 32.
     *
     * @param vocabSize V of the tokenizer the text tower reads
     */
    public static ClipConfig evaTiny(int vocabSize) {
        return new ClipConfig(
                new VisionConfig(32, 8, 64, 2, 2, 2.75, Activation.GELU, 1e-6),
                new TextConfig(16, vocabSize, 32, 2, 2, 4.0, Activation.GELU, 1e-5),
                32,
                EVA01_CLIP);
    }

    /**
     * A {@code --config} argument: one of {@code presets} by name, else a ClipConfig JSON file.
     *
     * @throws IllegalArgumentException when it is neither, or the file is not a ClipConfig JSON
     */
    public static ClipConfig presetOrFile(String value, List<String> presets) {
        if (presets.contains(value)) {
            return preset(value);
        }
        Path file = Path.of(value);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "--config '" + value + "' is neither a preset " + presets + " nor a file");
        }
        try {
            return fromJson(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "--config " + file + " is not a ClipConfig JSON file: " + e.getMessage(), e);
        }
    }

    /**
     * A named preset.
     *
     * @param name one of {@link #PRESETS} or {@link #EVA_PRESETS}
     * @throws IllegalArgumentException for an unknown name, naming the known ones
     */
    public static ClipConfig preset(String name) {
        TextConfig clipText512 =
                new TextConfig(77, 49408, 512, 12, 8, 4.0, Activation.QUICK_GELU, 1e-5);
        TextConfig clipText768 =
                new TextConfig(77, 49408, 768, 12, 12, 4.0, Activation.QUICK_GELU, 1e-5);
        return switch (name == null ? "" : name) {
            case "tiny" -> tiny();
            case "ViT-B-16" ->
                    new ClipConfig(
                            new VisionConfig(
                                    224, 16, 768, 12, 12, 4.0, Activation.QUICK_GELU, 1e-5),
                            clipText512,
                            512);
            case "ViT-L-14" ->
                    new ClipConfig(
                            new VisionConfig(
                                    224, 14, 1024, 24, 16, 4.0, Activation.QUICK_GELU, 1e-5),
                            clipText768,
                            768);
            case "ViT-L-14-336" ->
                    new ClipConfig(
                            new VisionConfig(
                                    336, 14, 1024, 24, 16, 4.0, Activation.QUICK_GELU, 1e-5),
                            clipText768,
                            768);
            // EVA-CLIP's EVA01-CLIP-g-14.json: width 1408, 40 layers, head width 88 (16 heads),
            // mlp_ratio 4.3637
            // (int(1408 · 4.3637) = 6144), patch 14, 224 px, LayerNorm eps 1e-6, GELU, embed_dim
            // 1024; text tower
            // 768 × 12 (12 heads) over 77 tokens of CLIP's BPE, GELU (no quick_gelu in that config;
            // core/EVA.md).
            case "EVA01-CLIP-g-14" ->
                    new ClipConfig(
                            new VisionConfig(224, 14, 1408, 40, 16, 4.3637, Activation.GELU, 1e-6),
                            new TextConfig(77, 49408, 768, 12, 12, 4.0, Activation.GELU, 1e-5),
                            1024,
                            EVA01_CLIP);
            case "EVA01-tiny" -> evaTiny(TINY_DEFAULT_VOCAB_SIZE);
            default ->
                    throw new IllegalArgumentException(
                            "unknown CLIP preset '"
                                    + name
                                    + "'; known presets: "
                                    + PRESETS
                                    + ", "
                                    + EVA_PRESETS);
        };
    }

    /**
     * Every state-dict name of the model and its shape, in the model's parameter order, computed
     * from the config alone (nothing is allocated). Names are OpenAI CLIP's; {@code logit_scale}
     * has shape {@code ()}. An {@value #EVA01_CLIP} image tower has EVA-CLIP's names instead of the
     * {@code visual.*} ones below ({@link EvaVisionTransformer}); its text tower is the same.
     *
     * <pre>
     * visual.conv1.weight (W,3,p,p)   visual.class_embedding (W)   visual.positional_embedding (P+1,W)
     * visual.ln_pre.{weight,bias} (W)  visual.transformer.resblocks.{i}.* (see below)
     * visual.ln_post.{weight,bias} (W) visual.proj (W,D)
     * token_embedding.weight (V,W)     positional_embedding (L,W)   transformer.resblocks.{i}.*
     * ln_final.{weight,bias} (W)       text_projection (W,D)        logit_scale ()
     * block: attn.in_proj_weight (3W,W), attn.in_proj_bias (3W), attn.out_proj.weight (W,W),
     *        attn.out_proj.bias (W), ln_1.{weight,bias} (W), mlp.c_fc.weight (4W,W), mlp.c_fc.bias (4W),
     *        mlp.c_proj.weight (W,4W), mlp.c_proj.bias (W), ln_2.{weight,bias} (W)
     * </pre>
     */
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        if (isEva()) {
            EvaVisionTransformer.putShapes(shapes, vision, embedDim);
        } else {
            putOpenAiVision(shapes);
        }
        int tw = text.width();
        shapes.put("token_embedding.weight", new long[] {text.vocabSize(), tw});
        shapes.put("positional_embedding", new long[] {text.contextLength(), tw});
        for (int i = 0; i < text.layers(); i++) {
            putBlock(shapes, "transformer.resblocks." + i + ".", tw, text.mlpWidth());
        }
        shapes.put("ln_final.weight", new long[] {tw});
        shapes.put("ln_final.bias", new long[] {tw});
        shapes.put("text_projection", new long[] {tw, embedDim});
        shapes.put("logit_scale", new long[] {});
        return shapes;
    }

    private void putOpenAiVision(Map<String, long[]> shapes) {
        int vw = vision.width();
        shapes.put(
                "visual.conv1.weight", new long[] {vw, 3, vision.patchSize(), vision.patchSize()});
        shapes.put("visual.class_embedding", new long[] {vw});
        shapes.put("visual.positional_embedding", new long[] {vision.numPatches() + 1L, vw});
        shapes.put("visual.ln_pre.weight", new long[] {vw});
        shapes.put("visual.ln_pre.bias", new long[] {vw});
        for (int i = 0; i < vision.layers(); i++) {
            putBlock(shapes, "visual.transformer.resblocks." + i + ".", vw, vision.mlpWidth());
        }
        shapes.put("visual.ln_post.weight", new long[] {vw});
        shapes.put("visual.ln_post.bias", new long[] {vw});
        shapes.put("visual.proj", new long[] {vw, embedDim});
    }

    /** Total number of scalar parameters. */
    public long parameterCount() {
        return count(parameterShapes(), "");
    }

    /** Number of scalar parameters of the image tower (every name under {@code visual.}). */
    public long visionParameterCount() {
        return count(parameterShapes(), "visual.");
    }

    private static long count(Map<String, long[]> shapes, String prefix) {
        long total = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            long[] shape = e.getValue();
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            total += n;
        }
        return total;
    }

    /** This config as JSON, e.g. for a registry's architecture field or a checkpoint's metadata. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + this, e);
        }
    }

    /**
     * Parses {@link #toJson()}'s form.
     *
     * @throws IllegalArgumentException when the JSON is malformed or describes an invalid config
     */
    public static ClipConfig fromJson(String json) {
        try {
            return JSON.readValue(json, ClipConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "invalid CLIP config JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void putBlock(Map<String, long[]> shapes, String prefix, int width, int hidden) {
        shapes.put(prefix + "attn.in_proj_weight", new long[] {3L * width, width});
        shapes.put(prefix + "attn.in_proj_bias", new long[] {3L * width});
        shapes.put(prefix + "attn.out_proj.weight", new long[] {width, width});
        shapes.put(prefix + "attn.out_proj.bias", new long[] {width});
        shapes.put(prefix + "ln_1.weight", new long[] {width});
        shapes.put(prefix + "ln_1.bias", new long[] {width});
        shapes.put(prefix + "mlp.c_fc.weight", new long[] {hidden, width});
        shapes.put(prefix + "mlp.c_fc.bias", new long[] {hidden});
        shapes.put(prefix + "mlp.c_proj.weight", new long[] {width, hidden});
        shapes.put(prefix + "mlp.c_proj.bias", new long[] {width});
        shapes.put(prefix + "ln_2.weight", new long[] {width});
        shapes.put(prefix + "ln_2.bias", new long[] {width});
    }

    private static void requireTower(
            String tower,
            int width,
            int layers,
            int heads,
            double mlpRatio,
            Activation activation,
            double eps) {
        requirePositive(tower + ".width", width);
        requirePositive(tower + ".layers", layers);
        requirePositive(tower + ".heads", heads);
        if (width % heads != 0) {
            throw new IllegalArgumentException(
                    tower
                            + ".width "
                            + width
                            + " is not a multiple of "
                            + tower
                            + ".heads "
                            + heads);
        }
        if (!(mlpRatio > 0) || Math.round(width * mlpRatio) < 1) {
            throw new IllegalArgumentException(
                    tower + ".mlpRatio must be positive, was " + mlpRatio);
        }
        if (activation == null) {
            throw new IllegalArgumentException(tower + ".activation is required");
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException(
                    tower + ".layerNormEps must be positive, was " + eps);
        }
    }

    private static void requirePositive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
    }
}
