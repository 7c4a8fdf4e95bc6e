package eagle.core.hf;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The correspondence between OpenAI CLIP's state-dict names (ours, {@link
 * ClipConfig#parameterShapes()}) and those of Hugging Face transformers' {@code CLIPModel} ({@code
 * models/clip/modeling_clip.py}).
 *
 * <p>Dimension letters: W transformer width, D joint width, P patches, L context length, V
 * vocabulary.
 *
 * <pre>
 * ours                                          Hugging Face                                       how
 * visual.conv1.weight (W,3,p,p)                 vision_model.embeddings.patch_embedding.weight     same
 * visual.class_embedding (W)                    vision_model.embeddings.class_embedding            same
 * visual.positional_embedding (P+1,W)           vision_model.embeddings.position_embedding.weight  same
 * visual.ln_pre.{weight,bias}                   vision_model.pre_layrnorm.*  (the format's spelling) same
 * visual.transformer.resblocks.{i}.X            vision_model.encoder.layers.{i}.Y                  see block
 * visual.ln_post.*                              vision_model.post_layernorm.*                      same
 * visual.proj (W,D)                             visual_projection.weight (D,W)                     transpose
 * token_embedding.weight (V,W)                  text_model.embeddings.token_embedding.weight       same
 * positional_embedding (L,W)                    text_model.embeddings.position_embedding.weight    same
 * transformer.resblocks.{i}.X                   text_model.encoder.layers.{i}.Y                    see block
 * ln_final.*                                    text_model.final_layer_norm.*                      same
 * text_projection (W,D)                         text_projection.weight (D,W)                       transpose
 * logit_scale ()                                logit_scale ()                                     same
 *
 * block X                                       block Y                                            how
 * attn.in_proj_weight (3W,W)                    self_attn.{q,k,v}_proj.weight (W,W) each           row blocks
 * attn.in_proj_bias (3W)                        self_attn.{q,k,v}_proj.bias (W) each               row blocks
 * attn.out_proj.*                               self_attn.out_proj.*                               same
 * ln_1.*, ln_2.*                                layer_norm1.*, layer_norm2.*                       same
 * mlp.c_fc.*, mlp.c_proj.*                      mlp.fc1.*, mlp.fc2.*                               same
 * </pre>
 *
 * <p>{@code nn.MultiheadAttention} stores the query, key and value projections stacked along
 * dimension 0 in that order, so splitting {@code in_proj_weight} into the row blocks [0,W), [W,2W),
 * [2W,3W) gives the three {@code nn.Linear} weights (both are {@code (out, in)}); {@code nn.Linear}
 * computes {@code x · Wᵀ} whereas OpenAI's heads compute {@code x · proj}, hence the transposes.
 *
 * <p>Hugging Face checkpoints written before transformers made them non-persistent also hold the
 * buffers {@link #IGNORED_BUFFERS} ({@code position_ids}, the integers {@code 0..n-1}); they carry
 * no learned value and are skipped by name on import. Every other unknown name is refused.
 */
public final class HfClipNames {

    /** The vision tower's {@code position_ids} buffer (1, P+1) in older checkpoints. */
    public static final String VISION_POSITION_IDS = "vision_model.embeddings.position_ids";

    /** The text tower's {@code position_ids} buffer (1, L) in older checkpoints. */
    public static final String TEXT_POSITION_IDS = "text_model.embeddings.position_ids";

    /**
     * Buffers skipped on import; never written on export (transformers registers them
     * non-persistent).
     */
    public static final Set<String> IGNORED_BUFFERS =
            Set.of(VISION_POSITION_IDS, TEXT_POSITION_IDS);

    private static final Pattern VISION_BLOCK =
            Pattern.compile("visual\\.transformer\\.resblocks\\.(\\d+)\\.(.+)");
    private static final Pattern TEXT_BLOCK =
            Pattern.compile("transformer\\.resblocks\\.(\\d+)\\.(.+)");
    private static final Map<String, String> FIXED = fixedNames();
    private static final Map<String, String> BLOCK = blockNames();

    private HfClipNames() {}

    /** How one of our tensors becomes Hugging Face tensors. */
    public enum Kind {
        /** the same values under another name */
        RENAME,
        /** a (W, D) matrix becomes its (D, W) transpose */
        TRANSPOSE,
        /** a (3W, …) stack becomes three (W, …) blocks: query, key, value */
        SPLIT_QKV
    }

    /**
     * The mapping of one of our tensors.
     *
     * @param ours our (OpenAI) name
     * @param kind how the values change
     * @param hf the Hugging Face name(s): one, or three (query, key, value) for {@link
     *     Kind#SPLIT_QKV}
     */
    public record Rule(String ours, Kind kind, List<String> hf) {
        public Rule {
            hf = List.copyOf(hf);
            if (hf.size() != (kind == Kind.SPLIT_QKV ? 3 : 1)) {
                throw new IllegalArgumentException(
                        kind
                                + " maps to "
                                + (kind == Kind.SPLIT_QKV ? 3 : 1)
                                + " names, got "
                                + hf);
            }
        }
    }

    /**
     * The rule for one of our names.
     *
     * @throws IllegalArgumentException for a name that is not an OpenAI CLIP parameter name
     */
    public static Rule rule(String ours) {
        String fixed = FIXED.get(ours);
        if (fixed != null) {
            boolean projection = ours.equals("visual.proj") || ours.equals("text_projection");
            return new Rule(ours, projection ? Kind.TRANSPOSE : Kind.RENAME, List.of(fixed));
        }
        Matcher vision = VISION_BLOCK.matcher(ours);
        if (vision.matches()) {
            return blockRule(
                    ours, "vision_model.encoder.layers." + vision.group(1) + ".", vision.group(2));
        }
        Matcher text = TEXT_BLOCK.matcher(ours);
        if (text.matches()) {
            return blockRule(
                    ours, "text_model.encoder.layers." + text.group(1) + ".", text.group(2));
        }
        throw new IllegalArgumentException("no Hugging Face name for '" + ours + "'");
    }

    /**
     * The rules of every parameter of {@code config}, in {@link ClipConfig#parameterShapes()}
     * order.
     */
    public static List<Rule> rules(ClipConfig config) {
        return rules(config.parameterShapes().keySet());
    }

    /** The rules of the given names, in their order. */
    public static List<Rule> rules(Iterable<String> ours) {
        List<Rule> rules = new ArrayList<>();
        ours.forEach(name -> rules.add(rule(name)));
        return rules;
    }

    /**
     * The Hugging Face tensor names and shapes of a {@code CLIPModel} with our {@code config},
     * computed without allocating anything: {@code position_ids} buffers are not included.
     */
    public static Map<String, long[]> hfShapes(ClipConfig config) {
        return hfShapes(config.parameterShapes());
    }

    /** The Hugging Face names and shapes corresponding to our {@code shapes}, in their order. */
    public static Map<String, long[]> hfShapes(Map<String, long[]> shapes) {
        Map<String, long[]> hf = new LinkedHashMap<>();
        shapes.forEach(
                (name, shape) -> {
                    Rule rule = rule(name);
                    long[] converted = hfShape(rule, shape);
                    rule.hf().forEach(h -> hf.put(h, converted));
                });
        return hf;
    }

    /**
     * The shape of each Hugging Face tensor of {@code rule} for our tensor of shape {@code shape}.
     */
    public static long[] hfShape(Rule rule, long[] shape) {
        return switch (rule.kind()) {
            case RENAME -> shape.clone();
            case TRANSPOSE -> {
                requireRank(rule.ours(), shape, 2);
                yield new long[] {shape[1], shape[0]};
            }
            case SPLIT_QKV -> {
                if (shape.length < 1 || shape[0] % 3 != 0) {
                    throw new IllegalArgumentException(
                            rule.ours()
                                    + " of shape "
                                    + Arrays.toString(shape)
                                    + " does not stack three blocks along dim 0");
                }
                long[] part = shape.clone();
                part[0] = shape[0] / 3;
                yield part;
            }
        };
    }

    /**
     * Our tensor as Hugging Face tensors.
     *
     * @return name to tensor, in {@link Rule#hf()} order
     */
    public static Map<String, Safetensors.Tensor> toHf(Rule rule, long[] shape, float[] values) {
        long[] hfShape = hfShape(rule, shape);
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        switch (rule.kind()) {
            case RENAME -> out.put(rule.hf().get(0), Safetensors.Tensor.f32(hfShape, values));
            case TRANSPOSE ->
                    out.put(
                            rule.hf().get(0),
                            Safetensors.Tensor.f32(
                                    hfShape,
                                    transpose(
                                            values,
                                            (int) shape[0],
                                            (int) shape[1]))); // (W, D) → (D, W)
            case SPLIT_QKV -> {
                float[][] qkv = splitQkv(values);
                for (int i = 0; i < 3; i++) {
                    out.put(
                            rule.hf().get(i),
                            Safetensors.Tensor.f32(hfShape, qkv[i])); // (3W, …) → 3 × (W, …)
                }
            }
        }
        return out;
    }

    /**
     * Hugging Face tensors as our tensor.
     *
     * @param hf at least the tensors named by {@link Rule#hf()}: for {@link Kind#SPLIT_QKV} three
     *     of one shape (W, …), stacked into (3W, …); for {@link Kind#TRANSPOSE} a (D, W) matrix,
     *     transposed to (W, D)
     * @throws IllegalArgumentException when one is missing or the shapes do not fit the rule
     */
    public static Safetensors.Tensor toOurs(Rule rule, Map<String, Safetensors.Tensor> hf) {
        List<Safetensors.Tensor> parts = new ArrayList<>();
        for (String name : rule.hf()) {
            Safetensors.Tensor part = hf.get(name);
            if (part == null) {
                throw new IllegalArgumentException("missing " + name + " for " + rule.ours());
            }
            parts.add(part);
        }
        Safetensors.Tensor first = parts.get(0);
        return switch (rule.kind()) {
            case RENAME -> Safetensors.Tensor.f32(first.shape(), first.values());
            case TRANSPOSE -> {
                requireRank(rule.hf().get(0), first.shape(), 2);
                long[] shape = first.shape();
                yield Safetensors.Tensor.f32(
                        new long[] {shape[1], shape[0]},
                        transpose(
                                first.values(), (int) shape[0], (int) shape[1])); // (D, W) → (W, D)
            }
            case SPLIT_QKV -> {
                for (int i = 1; i < 3; i++) {
                    if (!Arrays.equals(parts.get(i).shape(), first.shape())) {
                        throw new IllegalArgumentException(
                                rule.hf()
                                        + " differ in shape: "
                                        + Arrays.toString(first.shape())
                                        + " and "
                                        + Arrays.toString(parts.get(i).shape()));
                    }
                }
                long[] stacked = first.shape().clone();
                if (stacked.length == 0) {
                    throw new IllegalArgumentException(
                            rule.hf().get(0) + " is a scalar, not a block of rows");
                }
                stacked[0] = Math.multiplyExact(stacked[0], 3L);
                yield Safetensors.Tensor.f32(
                        stacked,
                        concatQkv(
                                first.values(),
                                parts.get(1).values(),
                                parts.get(2).values())); // 3 × (W, …) → (3W, …)
            }
        };
    }

    /**
     * Splits a tensor stacked along dimension 0 into three equal row blocks (query, key, value):
     * for {@code in_proj_weight} (3W, W) these are (W, W) each, row-major, so block {@code j} is
     * the values {@code [j·n/3, (j+1)·n/3)}.
     */
    public static float[][] splitQkv(float[] stacked) {
        if (stacked.length % 3 != 0) {
            throw new IllegalArgumentException(
                    stacked.length + " values do not split into three equal blocks");
        }
        int n = stacked.length / 3;
        return new float[][] {
            Arrays.copyOfRange(stacked, 0, n),
            Arrays.copyOfRange(stacked, n, 2 * n),
            Arrays.copyOfRange(stacked, 2 * n, 3 * n)
        };
    }

    /**
     * Stacks query, key and value blocks of equal size along dimension 0: three (W, …) → (3W, …).
     */
    public static float[] concatQkv(float[] q, float[] k, float[] v) {
        if (q.length != k.length || q.length != v.length) {
            throw new IllegalArgumentException(
                    "query, key and value differ in size: "
                            + q.length
                            + ", "
                            + k.length
                            + ", "
                            + v.length);
        }
        float[] stacked = new float[3 * q.length];
        System.arraycopy(q, 0, stacked, 0, q.length);
        System.arraycopy(k, 0, stacked, q.length, k.length);
        System.arraycopy(v, 0, stacked, 2 * q.length, v.length);
        return stacked;
    }

    /**
     * The transpose of a row-major (rows, cols) matrix: {@code out[c·rows + r] = in[r·cols + c]}.
     */
    public static float[] transpose(float[] values, int rows, int cols) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(
                    values.length + " values are not a " + rows + " × " + cols + " matrix");
        }
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = values[r * cols + c];
            }
        }
        return out;
    }

    private static Rule blockRule(String ours, String prefix, String rest) {
        String inner = BLOCK.get(rest);
        if (inner != null) {
            return new Rule(ours, Kind.RENAME, List.of(prefix + inner));
        }
        String suffix =
                switch (rest) {
                    case "attn.in_proj_weight" -> "weight";
                    case "attn.in_proj_bias" -> "bias";
                    default ->
                            throw new IllegalArgumentException(
                                    "no Hugging Face name for '" + ours + "'");
                };
        return new Rule(
                ours,
                Kind.SPLIT_QKV,
                List.of(
                        prefix + "self_attn.q_proj." + suffix,
                        prefix + "self_attn.k_proj." + suffix,
                        prefix + "self_attn.v_proj." + suffix));
    }

    private static void requireRank(String name, long[] shape, int rank) {
        if (shape.length != rank) {
            throw new IllegalArgumentException(
                    name
                            + " must have "
                            + rank
                            + " dimensions, has shape "
                            + Arrays.toString(shape));
        }
    }

    private static Map<String, String> fixedNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight");
        names.put("visual.class_embedding", "vision_model.embeddings.class_embedding");
        names.put(
                "visual.positional_embedding", "vision_model.embeddings.position_embedding.weight");
        names.put("visual.ln_pre.weight", "vision_model.pre_layrnorm.weight");
        names.put("visual.ln_pre.bias", "vision_model.pre_layrnorm.bias");
        names.put("visual.ln_post.weight", "vision_model.post_layernorm.weight");
        names.put("visual.ln_post.bias", "vision_model.post_layernorm.bias");
        names.put("visual.proj", "visual_projection.weight");
        names.put("token_embedding.weight", "text_model.embeddings.token_embedding.weight");
        names.put("positional_embedding", "text_model.embeddings.position_embedding.weight");
        names.put("ln_final.weight", "text_model.final_layer_norm.weight");
        names.put("ln_final.bias", "text_model.final_layer_norm.bias");
        names.put("text_projection", "text_projection.weight");
        names.put("logit_scale", "logit_scale");
        return Map.copyOf(names);
    }

    private static Map<String, String> blockNames() {
        Map<String, String> names = new LinkedHashMap<>();
        for (String p : List.of("weight", "bias")) {
            names.put("attn.out_proj." + p, "self_attn.out_proj." + p);
            names.put("ln_1." + p, "layer_norm1." + p);
            names.put("ln_2." + p, "layer_norm2." + p);
            names.put("mlp.c_fc." + p, "mlp.fc1." + p);
            names.put("mlp.c_proj." + p, "mlp.fc2." + p);
        }
        return Map.copyOf(names);
    }
}
