package eagle.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.image.ImagePreprocessor;
import eagle.core.model.ClipConfig;
import java.util.Iterator;
import java.util.Map;

/**
 * Our {@link ClipConfig} as the {@code config.json} and {@code preprocessor_config.json} that
 * Hugging Face transformers reads for {@code CLIPModel}, {@code CLIPVisionModel} and {@code
 * CLIPImageProcessor}, and back. Field names are those of transformers' {@code CLIPConfig} ({@code
 * projection_dim}, {@code logit_scale_init_value}, {@code text_config}, {@code vision_config}),
 * {@code CLIPTextConfig} and {@code CLIPVisionConfig}.
 *
 * <pre>
 * ours                          Hugging Face
 * embedDim D                    projection_dim (top level and in both sub-configs)
 * width W                       hidden_size
 * round(W · mlpRatio)           intermediate_size
 * layers / heads                num_hidden_layers / num_attention_heads
 * activation                    hidden_act: QUICK_GELU "quick_gelu", GELU "gelu" (exact erf GELU)
 * layerNormEps                  layer_norm_eps
 * vision imageSize, patchSize   image_size, patch_size (num_channels 3)
 * text contextLength L          max_position_embeddings
 * text vocabSize V              vocab_size; bos_token_id V-2, eos_token_id V-1, pad_token_id 0
 * </pre>
 *
 * <p>Token ids: our tokenizers put start-of-text at V-2 and end-of-text at V-1 and pad with 0;
 * transformers pools the text features at the first {@code eos_token_id} (or at the argmax of the
 * ids when it is the legacy value 2), which for our sequences is the same position as our argmax. A
 * config whose {@code eos_token_id} is neither V-1 nor 2 is refused on import, as its text features
 * would differ. The extra field {@code eagle_tokenizer} says which of our tokenizers the vocabulary
 * belongs to: {@code clip_bpe} (V = 49408, CLIP's byte-pair encoding, which transformers' {@code
 * CLIPTokenizer} reproduces) or {@code word} (our {@code WordTokenizer}: not CLIP's BPE, so no
 * tokenizer files are written and the text tower needs our word ids).
 *
 * <p>On import, a field that is absent takes transformers' default (as {@code from_pretrained}
 * does: vision 768 wide, 12 layers, 12 heads, 224 px, patch 32; text 512 wide, 12 layers, 8 heads,
 * 77 tokens, V 49408; projection 512; quick_gelu; eps 1e-5), and the legacy {@code
 * text_config_dict} / {@code vision_config_dict} override the sub-configs, as transformers does.
 */
public final class HfClipConfig {

    /**
     * transformers' default initial {@code logit_scale}, ln(1/0.07) rounded; the trained value is
     * in the weights.
     */
    public static final double LOGIT_SCALE_INIT_VALUE = 2.6592;

    /** CLIP's BPE vocabulary size. */
    public static final int CLIP_BPE_VOCAB_SIZE = 49408;

    /** {@code eagle_tokenizer} for CLIP's byte-pair encoding. */
    public static final String TOKENIZER_CLIP_BPE = "clip_bpe";

    /** {@code eagle_tokenizer} for our word tokenizer. */
    public static final String TOKENIZER_WORD = "word";

    /** {@code model_type} of a whole CLIP model. */
    public static final String MODEL_TYPE_CLIP = "clip";

    /** {@code model_type} of a vision tower saved alone ({@code CLIPVisionModel}). */
    public static final String MODEL_TYPE_VISION = "clip_vision_model";

    /** {@code model_type} of a text tower saved alone ({@code CLIPTextModel}). */
    public static final String MODEL_TYPE_TEXT = "clip_text_model";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LEGACY_EOS_TOKEN_ID = 2;

    private HfClipConfig() {}

    /**
     * A vision tower read from a Hugging Face config.
     *
     * @param config the tower
     * @param projectionDim D of {@code visual_projection}, present or not in the weights
     */
    public record Vision(ClipConfig.VisionConfig config, int projectionDim) {}

    /** {@code config.json} of a {@code CLIPModel} with our architecture. */
    public static ObjectNode configJson(ClipConfig config) {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add("CLIPModel");
        root.put("model_type", MODEL_TYPE_CLIP);
        root.put("projection_dim", config.embedDim());
        root.put("logit_scale_init_value", LOGIT_SCALE_INIT_VALUE);
        root.put("initializer_factor", 1.0);
        root.put("torch_dtype", "float32");
        boolean bpe = config.text().vocabSize() == CLIP_BPE_VOCAB_SIZE;
        root.put("eagle_tokenizer", bpe ? TOKENIZER_CLIP_BPE : TOKENIZER_WORD);
        root.put(
                "eagle_note",
                bpe
                        ? "Exported by EAGLE. Text ids are CLIP's BPE (transformers' CLIPTokenizer)."
                        : "Exported by EAGLE. The text tower reads EAGLE's word-tokenizer ids (vocab_size "
                                + config.text().vocabSize()
                                + "), not CLIP's BPE: no tokenizer files are included.");

        ClipConfig.TextConfig text = config.text();
        ObjectNode t = root.putObject("text_config");
        t.put("model_type", MODEL_TYPE_TEXT);
        t.put("vocab_size", text.vocabSize());
        t.put("hidden_size", text.width());
        t.put("intermediate_size", text.mlpWidth());
        t.put("projection_dim", config.embedDim());
        t.put("num_hidden_layers", text.layers());
        t.put("num_attention_heads", text.heads());
        t.put("max_position_embeddings", text.contextLength());
        t.put("hidden_act", hiddenAct(text.activation()));
        t.put("layer_norm_eps", text.layerNormEps());
        t.put("attention_dropout", 0.0);
        t.put("initializer_range", 0.02);
        t.put("initializer_factor", 1.0);
        t.put("pad_token_id", 0);
        t.put("bos_token_id", text.vocabSize() - 2);
        t.put("eos_token_id", text.vocabSize() - 1);

        root.set("vision_config", visionConfigJson(config.vision(), config.embedDim()));
        return root;
    }

    /**
     * The {@code vision_config} object (also the whole {@code config.json} of a {@code
     * CLIPVisionModel}).
     */
    public static ObjectNode visionConfigJson(ClipConfig.VisionConfig vision, int projectionDim) {
        ObjectNode v = JSON.createObjectNode();
        v.put("model_type", MODEL_TYPE_VISION);
        v.put("hidden_size", vision.width());
        v.put("intermediate_size", vision.mlpWidth());
        v.put("projection_dim", projectionDim);
        v.put("num_hidden_layers", vision.layers());
        v.put("num_attention_heads", vision.heads());
        v.put("num_channels", 3);
        v.put("image_size", vision.imageSize());
        v.put("patch_size", vision.patchSize());
        v.put("hidden_act", hiddenAct(vision.activation()));
        v.put("layer_norm_eps", vision.layerNormEps());
        v.put("attention_dropout", 0.0);
        v.put("initializer_range", 0.02);
        v.put("initializer_factor", 1.0);
        return v;
    }

    /**
     * {@code preprocessor_config.json} for {@code CLIPImageProcessor}: our {@link
     * ImagePreprocessor}'s steps (convert to RGB, resize the shortest side to S bicubically ({@code
     * resample} 3 = PIL's BICUBIC), centre-crop S × S, scale by 1/255, normalise with CLIP's mean
     * and std).
     */
    public static ObjectNode preprocessorJson(ClipConfig.VisionConfig vision) {
        int size = vision.imageSize();
        ObjectNode root = JSON.createObjectNode();
        root.put("image_processor_type", "CLIPImageProcessor");
        root.put("do_convert_rgb", true);
        root.put("do_resize", true);
        root.putObject("size").put("shortest_edge", size);
        root.put("resample", 3);
        root.put("do_center_crop", true);
        ObjectNode crop = root.putObject("crop_size");
        crop.put("height", size);
        crop.put("width", size);
        root.put("do_rescale", true);
        root.put("rescale_factor", 1.0 / 255.0);
        root.put("do_normalize", true);
        ArrayNode mean = root.putArray("image_mean");
        ArrayNode std = root.putArray("image_std");
        for (int c = 0; c < 3; c++) {
            mean.add(Double.parseDouble(Float.toString(ImagePreprocessor.MEAN[c])));
            std.add(Double.parseDouble(Float.toString(ImagePreprocessor.STD[c])));
        }
        return root;
    }

    /** The {@code model_type} of a config, {@code ""} when absent. */
    public static String modelType(JsonNode root) {
        JsonNode type = root.get("model_type");
        return type == null || !type.isTextual() ? "" : type.textValue();
    }

    /**
     * Our config from the {@code config.json} of a {@code CLIPModel} (model_type {@code clip}).
     *
     * @param source what is read, for messages
     * @throws IllegalArgumentException for another model type (a vision tower alone names {@link
     *     #visionFromConfigJson}), an unsupported activation, a field of the wrong type, or an
     *     architecture our {@link ClipConfig} cannot express
     */
    public static ClipConfig fromConfigJson(JsonNode root, String source) {
        requireObject(root, source);
        String type = modelType(root);
        if (type.equals(MODEL_TYPE_VISION)) {
            throw new IllegalArgumentException(
                    source
                            + " holds a CLIP vision tower alone (model_type "
                            + MODEL_TYPE_VISION
                            + ", e.g. CLIPVisionModel) without a text tower; our ClipModel needs both, "
                            + "so read it with HfClipImport.readVision");
        }
        if (!type.equals(MODEL_TYPE_CLIP)) {
            throw new IllegalArgumentException(
                    source
                            + " is not a CLIPModel config: model_type is '"
                            + type
                            + "', expected '"
                            + MODEL_TYPE_CLIP
                            + "'");
        }
        ObjectNode text = subConfig(root, "text_config", source);
        ObjectNode vision = subConfig(root, "vision_config", source);
        int embedDim = intField(root, "projection_dim", 512, source);
        try {
            return new ClipConfig(
                    vision(vision, source + " vision_config"),
                    text(text, source + " text_config"),
                    embedDim);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The vision tower of a {@code CLIPModel} config (its {@code vision_config}) or of a vision
     * tower saved alone (model_type {@code clip_vision_model}, fields at the top level).
     */
    public static Vision visionFromConfigJson(JsonNode root, String source) {
        requireObject(root, source);
        String type = modelType(root);
        if (type.equals(MODEL_TYPE_CLIP)) {
            return new Vision(
                    vision(subConfig(root, "vision_config", source), source + " vision_config"),
                    intField(root, "projection_dim", 512, source));
        }
        if (type.equals(MODEL_TYPE_VISION)) {
            return new Vision(
                    vision((ObjectNode) root, source),
                    intField(root, "projection_dim", 512, source));
        }
        throw new IllegalArgumentException(
                source
                        + " is not a CLIP config: model_type is '"
                        + type
                        + "', expected '"
                        + MODEL_TYPE_CLIP
                        + "' or '"
                        + MODEL_TYPE_VISION
                        + "'");
    }

    /** transformers' {@code hidden_act} for our activation. */
    public static String hiddenAct(ClipConfig.Activation activation) {
        return switch (activation) {
            case QUICK_GELU -> "quick_gelu";
            case GELU -> "gelu";
        };
    }

    /** Our activation for transformers' {@code hidden_act}. */
    public static ClipConfig.Activation activation(String hiddenAct, String source) {
        return switch (hiddenAct) {
            case "quick_gelu" -> ClipConfig.Activation.QUICK_GELU;
            case "gelu" -> ClipConfig.Activation.GELU;
            default ->
                    throw new IllegalArgumentException(
                            source
                                    + " hidden_act '"
                                    + hiddenAct
                                    + "' is not supported; supported: quick_gelu, gelu");
        };
    }

    private static ClipConfig.VisionConfig vision(ObjectNode v, String source) {
        int channels = intField(v, "num_channels", 3, source);
        if (channels != 3) {
            throw new IllegalArgumentException(
                    source + " num_channels is " + channels + "; only RGB (3) is supported");
        }
        int width = intField(v, "hidden_size", 768, source);
        int intermediate = intField(v, "intermediate_size", 3072, source);
        ClipConfig.VisionConfig vision =
                new ClipConfig.VisionConfig(
                        intField(v, "image_size", 224, source),
                        intField(v, "patch_size", 32, source),
                        width,
                        intField(v, "num_hidden_layers", 12, source),
                        intField(v, "num_attention_heads", 12, source),
                        ratio(intermediate, width, source),
                        activation(textField(v, "hidden_act", "quick_gelu", source), source),
                        doubleField(v, "layer_norm_eps", 1e-5, source));
        requireMlp(vision.mlpWidth(), intermediate, source);
        return vision;
    }

    private static ClipConfig.TextConfig text(ObjectNode t, String source) {
        int width = intField(t, "hidden_size", 512, source);
        int intermediate = intField(t, "intermediate_size", 2048, source);
        int vocab = intField(t, "vocab_size", CLIP_BPE_VOCAB_SIZE, source);
        ClipConfig.TextConfig text =
                new ClipConfig.TextConfig(
                        intField(t, "max_position_embeddings", 77, source),
                        vocab,
                        width,
                        intField(t, "num_hidden_layers", 12, source),
                        intField(t, "num_attention_heads", 8, source),
                        ratio(intermediate, width, source),
                        activation(textField(t, "hidden_act", "quick_gelu", source), source),
                        doubleField(t, "layer_norm_eps", 1e-5, source));
        requireMlp(text.mlpWidth(), intermediate, source);
        int eos = intField(t, "eos_token_id", 49407, source);
        if (eos != vocab - 1 && eos != LEGACY_EOS_TOKEN_ID) {
            throw new IllegalArgumentException(
                    source
                            + " eos_token_id "
                            + eos
                            + " is neither the highest id "
                            + (vocab - 1)
                            + " nor the legacy "
                            + LEGACY_EOS_TOKEN_ID
                            + ": transformers pools the text features at "
                            + "that token, ours at the highest id, so the text features would differ");
        }
        return text;
    }

    private static void requireMlp(int mlpWidth, int intermediate, String source) {
        if (mlpWidth != intermediate) {
            throw new IllegalArgumentException(
                    source
                            + " intermediate_size "
                            + intermediate
                            + " cannot be expressed as a width ratio (got "
                            + mlpWidth
                            + ")");
        }
    }

    private static double ratio(int intermediate, int width, String source) {
        if (intermediate <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    source
                            + " hidden_size "
                            + width
                            + " and intermediate_size "
                            + intermediate
                            + " must be positive");
        }
        return (double) intermediate / width;
    }

    private static ObjectNode subConfig(JsonNode root, String name, String source) {
        JsonNode node = root.get(name);
        ObjectNode merged = JSON.createObjectNode();
        if (node != null && !node.isNull()) {
            if (!node.isObject()) {
                throw new IllegalArgumentException(source + " " + name + " is not an object");
            }
            merged.setAll((ObjectNode) node);
        }
        JsonNode legacy = root.get(name + "_dict");
        if (legacy != null && legacy.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = legacy.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                merged.set(field.getKey(), field.getValue());
            }
        }
        return merged;
    }

    private static void requireObject(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " is not a JSON object");
        }
    }

    private static int intField(JsonNode node, String name, int fallback, String source) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(
                    source + " " + name + " is not an integer: " + value);
        }
        return value.intValue();
    }

    private static double doubleField(JsonNode node, String name, double fallback, String source) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(source + " " + name + " is not a number: " + value);
        }
        return value.doubleValue();
    }

    private static String textField(JsonNode node, String name, String fallback, String source) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(source + " " + name + " is not a string: " + value);
        }
        return value.textValue();
    }
}
