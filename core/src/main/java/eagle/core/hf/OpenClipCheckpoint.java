package eagle.core.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.image.ImagePreprocessor;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OpenCLIP checkpoint folder as OpenCLIP publishes its hub models (core/EVA.md): {@value
 * #CONFIG_FILE} ({@code {"model_cfg": {...}, "preprocess_cfg": {...}}}) beside {@value
 * #WEIGHTS_FILE}, whose tensors carry OpenAI CLIP's state-dict names (OpenCLIP's {@code CLIP} class
 * keeps them), read into our OpenAI-family model with the sizes and the activation the config
 * gives:
 *
 * <pre>
 * model_cfg.embed_dim                                   D
 * model_cfg.quick_gelu (default false)                  QuickGELU when true, else the exact GELU (both towers)
 * vision_cfg.image_size, patch_size, width, layers      S, p, W, layers (defaults 224, 16, 768, 12)
 * vision_cfg.head_width (64), mlp_ratio (4.0)           heads = W / head_width
 * text_cfg.context_length, vocab_size, width, heads, layers, mlp_ratio   (defaults 77, 49408, 512, 8, 12, 4.0)
 * norm_kwargs.eps (either tower; default 1e-5)          layer-norm epsilon
 * </pre>
 *
 * <p>The GELU default matters: OpenCLIP's own trainings (LAION, DataComp) use {@code nn.GELU},
 * while a reader that assumes OpenAI's conventions would run them with QuickGELU and get different
 * features. Configurations our model cannot express are refused by name: a timm or Hugging Face
 * tower ({@code timm_model_name}, {@code hf_model_name}: OpenCLIP's EVA models are timm towers,
 * convert them with {@code --from eva} from EVA-CLIP's checkpoint instead), a custom text tower,
 * layer scale, attentional pooling, no pre-norm, pooling other than the class token and the text's
 * argmax, a text projection bias, and a preprocessing mean or std other than CLIP's (ours is fixed
 * to CLIP's).
 */
public final class OpenClipCheckpoint {

    /** OpenCLIP's config file in a hub folder. */
    public static final String CONFIG_FILE = "open_clip_config.json";

    /** OpenCLIP's weights file in a hub folder. */
    public static final String WEIGHTS_FILE = "open_clip_model.safetensors";

    /** OpenCLIP's non-persistent text attention mask, skipped if a checkpoint holds it. */
    public static final String ATTN_MASK = "attn_mask";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VISION_KEYS =
            Set.of(
                    "image_size",
                    "patch_size",
                    "width",
                    "layers",
                    "head_width",
                    "mlp_ratio",
                    "patch_dropout",
                    "pool_type",
                    "output_tokens",
                    "ls_init_value",
                    "attentional_pool",
                    "no_ln_pre",
                    "final_ln_after_pool",
                    "pos_embed_type",
                    "timm_model_name",
                    "timm_model_pretrained",
                    "timm_pool",
                    "timm_proj",
                    "timm_proj_bias",
                    "timm_drop",
                    "timm_drop_path",
                    "attn_pooler_queries",
                    "attn_pooler_heads",
                    "act_kwargs",
                    "norm_kwargs");
    private static final Set<String> TEXT_KEYS =
            Set.of(
                    "context_length",
                    "vocab_size",
                    "width",
                    "heads",
                    "layers",
                    "mlp_ratio",
                    "ls_init_value",
                    "hf_model_name",
                    "hf_tokenizer_name",
                    "hf_model_pretrained",
                    "hf_proj_type",
                    "hf_pooler_type",
                    "proj",
                    "proj_type",
                    "pooler_type",
                    "pool_type",
                    "proj_bias",
                    "embed_cls",
                    "pad_id",
                    "no_causal_mask",
                    "final_ln_after_pool",
                    "output_tokens",
                    "act_kwargs",
                    "norm_kwargs",
                    "tokenizer_kwargs");

    private OpenClipCheckpoint() {}

    /**
     * The architecture in a folder's {@value #CONFIG_FILE} (see the class comment).
     *
     * @throws IllegalArgumentException naming what our model cannot express, or a malformed config
     */
    public static ClipConfig readConfig(Path folder) throws IOException {
        Path file = requireFile(folder, CONFIG_FILE);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromConfigJson(root, file.toString());
    }

    /** As {@link #readConfig}, from the parsed file. */
    public static ClipConfig fromConfigJson(JsonNode root, String source) {
        JsonNode model = root == null ? null : root.get("model_cfg");
        if (model == null || !model.isObject()) {
            throw new IllegalArgumentException(
                    source
                            + " has no model_cfg object; an OpenCLIP hub config is "
                            + "{\"model_cfg\": {...}, \"preprocess_cfg\": {...}}");
        }
        List<String> unsupported = new ArrayList<>();
        if (model.path("custom_text").asBoolean(false)) {
            unsupported.add("custom_text");
        }
        for (String key : List.of("multimodal_cfg", "init_logit_bias")) {
            if (model.has(key)) {
                unsupported.add(key + " (a CoCa or SigLIP model)");
            }
        }
        JsonNode v = object(model, "vision_cfg", source);
        JsonNode t = object(model, "text_cfg", source);
        unknownKeys(v, VISION_KEYS, "vision_cfg", unsupported);
        unknownKeys(t, TEXT_KEYS, "text_cfg", unsupported);
        for (String key : List.of("timm_model_name", "ls_init_value", "attn_pooler_queries")) {
            if (!v.path(key).isNull() && !v.path(key).isMissingNode()) {
                unsupported.add("vision_cfg." + key);
            }
        }
        if (v.path("attentional_pool").asBoolean(false)) {
            unsupported.add("vision_cfg.attentional_pool");
        }
        if (v.path("no_ln_pre").asBoolean(false)) {
            unsupported.add("vision_cfg.no_ln_pre");
        }
        if (v.path("final_ln_after_pool").asBoolean(false)
                || t.path("final_ln_after_pool").asBoolean(false)) {
            unsupported.add("final_ln_after_pool");
        }
        if (!v.path("pool_type").asText("tok").equals("tok")) {
            unsupported.add("vision_cfg.pool_type " + v.path("pool_type").asText());
        }
        if (!v.path("pos_embed_type").asText("learnable").equals("learnable")) {
            unsupported.add("vision_cfg.pos_embed_type " + v.path("pos_embed_type").asText());
        }
        for (String key : List.of("hf_model_name", "ls_init_value")) {
            if (!t.path(key).isNull() && !t.path(key).isMissingNode()) {
                unsupported.add("text_cfg." + key);
            }
        }
        if (!t.path("pool_type").asText("argmax").equals("argmax")
                || t.path("embed_cls").asBoolean(false)
                || t.path("no_causal_mask").asBoolean(false)
                || t.path("proj_bias").asBoolean(false)
                || !t.path("proj_type").asText("linear").equals("linear")) {
            unsupported.add(
                    "text_cfg pooling or projection other than OpenAI's (argmax, causal, linear without bias)");
        }
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(
                    source
                            + ": our model cannot express "
                            + String.join(", ", unsupported)
                            + (v.has("timm_model_name")
                                    ? "; an EVA tower from OpenCLIP is a timm model: convert EVA-CLIP's "
                                            + "checkpoint with --from eva"
                                    : ""));
        }
        requireClipNormalisation(root.path("preprocess_cfg"), source);

        ClipConfig.Activation activation =
                model.path("quick_gelu").asBoolean(false)
                        ? ClipConfig.Activation.QUICK_GELU
                        : ClipConfig.Activation.GELU;
        int width = v.path("width").asInt(768);
        int headWidth = v.path("head_width").asInt(64);
        if (headWidth <= 0 || width % headWidth != 0) {
            throw new IllegalArgumentException(
                    source
                            + ": vision_cfg.width "
                            + width
                            + " is not a multiple of head_width "
                            + headWidth);
        }
        try {
            return new ClipConfig(
                    new ClipConfig.VisionConfig(
                            v.path("image_size").asInt(224),
                            v.path("patch_size").asInt(16),
                            width,
                            v.path("layers").asInt(12),
                            width / headWidth,
                            v.path("mlp_ratio").asDouble(4.0),
                            activation,
                            v.path("norm_kwargs").path("eps").asDouble(1e-5)),
                    new ClipConfig.TextConfig(
                            t.path("context_length").asInt(77),
                            t.path("vocab_size").asInt(49408),
                            t.path("width").asInt(512),
                            t.path("layers").asInt(12),
                            t.path("heads").asInt(8),
                            t.path("mlp_ratio").asDouble(4.0),
                            activation,
                            t.path("norm_kwargs").path("eps").asDouble(1e-5)),
                    model.path("embed_dim").asInt(512));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The architecture and our tensors of an OpenCLIP folder; {@value #ATTN_MASK}, if present, is
     * skipped.
     *
     * @throws IllegalArgumentException naming every missing, unknown and misshaped tensor
     */
    public static HfClipImport.Imported read(Path folder) throws IOException {
        ClipConfig config = readConfig(folder);
        Path weights = requireFile(folder, WEIGHTS_FILE);
        Map<String, long[]> found = Safetensors.readHeader(weights).shapes();
        found.remove(ATTN_MASK);
        Safetensors.requireShapes(weights.toString(), config.parameterShapes(), found);
        Map<String, Safetensors.Tensor> all = Safetensors.readAll(weights);
        Map<String, Safetensors.Tensor> ours = new LinkedHashMap<>();
        config.parameterShapes().keySet().forEach(name -> ours.put(name, all.get(name)));
        return new HfClipImport.Imported(config, ours);
    }

    /**
     * Converts an OpenCLIP folder into our file (architecture and encoder spec in the metadata).
     *
     * @return the architecture
     */
    public static ClipConfig convert(Path folder, Path ourFile) throws IOException {
        HfClipImport.Imported imported = read(folder);
        OpenAiClipFile.write(ourFile, imported.config(), imported.tensors());
        return imported.config();
    }

    private static void requireClipNormalisation(JsonNode preprocess, String source) {
        for (String key : List.of("mean", "std")) {
            JsonNode values = preprocess.path(key);
            if (values.isMissingNode() || values.isNull()) {
                continue;
            }
            float[] ours = key.equals("mean") ? ImagePreprocessor.MEAN : ImagePreprocessor.STD;
            boolean same = values.isArray() && values.size() == 3;
            for (int c = 0; same && c < 3; c++) {
                same = Math.abs(values.get(c).asDouble() - ours[c]) < 1e-6;
            }
            if (!same) {
                throw new IllegalArgumentException(
                        source
                                + ": preprocess_cfg."
                                + key
                                + " "
                                + values
                                + " is not CLIP's; "
                                + "EAGLE normalises every image with CLIP's mean and std");
            }
        }
    }

    private static JsonNode object(JsonNode model, String key, String source) {
        JsonNode node = model.get(key);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(
                    source + ": model_cfg." + key + " is missing or not an object");
        }
        return node;
    }

    private static void unknownKeys(
            JsonNode node, Set<String> known, String where, List<String> unsupported) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                unsupported.add(where + "." + name + " (unknown)");
            }
        }
    }

    private static Path requireFile(Path folder, String name) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(
                    folder
                            + " is not a folder; an OpenCLIP checkpoint is a folder holding "
                            + CONFIG_FILE
                            + " and "
                            + WEIGHTS_FILE);
        }
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    folder
                            + " has no "
                            + name
                            + "; an OpenCLIP checkpoint folder holds "
                            + CONFIG_FILE
                            + " and "
                            + WEIGHTS_FILE);
        }
        return file;
    }
}
