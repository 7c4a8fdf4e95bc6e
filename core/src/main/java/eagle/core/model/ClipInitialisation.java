package eagle.core.model;

import eagle.core.io.Safetensors;
import java.util.Arrays;
import java.util.Random;

/**
 * The initial values of a fresh {@link ClipModel}, chosen by parameter name (docs/METHOD.md §1).
 * OpenAI CLIP's {@code initialize_parameters}, applied to both towers (W the tower's width, p the
 * patch size):
 *
 * <pre>
 * token_embedding.weight                      N(0, 0.02²)
 * positional_embedding (text)                 N(0, 0.01²)
 * attn.in_proj_weight                         N(0, W⁻¹)
 * attn.out_proj.weight, mlp.c_proj.weight     N(0, W⁻¹ (2·layers)⁻¹)
 * mlp.c_fc.weight                             N(0, (2W)⁻¹)
 * text_projection, visual.proj,
 * visual.class_embedding, visual.positional_embedding   W^-½ · N(0, 1)
 * visual.conv1.weight                         U(±(3p²)^-½), PyTorch's default for a convolution
 * every bias and layer-norm shift             0
 * layer-norm gains (ln_*.weight)              1
 * logit_scale                                 ln(1/0.07)
 * </pre>
 *
 * An EVA01-CLIP image tower ({@link EvaVisionTransformer}) follows EVA's {@code _init_weights} and
 * {@code fix_init_weight} instead (i the 1-based block index; EVA's truncation at ±2 is not
 * applied, it cuts nothing at this width of distribution):
 *
 * <pre>
 * visual.cls_token, visual.pos_embed, every Linear weight (qkv, fc1, head)   N(0, 0.02²)
 * visual.blocks.{i}.attn.proj.weight, visual.blocks.{i}.mlp.fc2.weight       N(0, 0.02²) / √(2i)
 * visual.patch_embed.proj.weight              U(±(3p²)^-½), PyTorch's default for a convolution
 * q_bias, v_bias, every bias and norm shift   0;  norm gains (norm1, norm2, norm)  1
 * </pre>
 *
 * EVA-CLIP further scales the head by 0.001 at initialisation; EAGLE does not, so that a fresh
 * model's features are not near zero (an assumption recorded in core/EVA.md; loaded checkpoints are
 * unaffected).
 *
 * <p>Every tensor draws from its own generator seeded by the model seed and its name, so the result
 * depends only on (seed, config).
 */
final class ClipInitialisation {

    /** CLIP's initial contrastive temperature: logit_scale starts at ln(1 / 0.07). */
    static final double INITIAL_TEMPERATURE = 0.07;

    private ClipInitialisation() {}

    /**
     * Initial values of one tensor, row-major (see the class comment).
     *
     * @throws IllegalStateException for a name no rule covers
     */
    static double[] initialValues(ClipConfig config, String name, long[] shape, long seed) {
        int n = Math.toIntExact(Safetensors.elementCount(shape));
        double[] values = new double[n];
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + name.hashCode());
        boolean vision = name.startsWith("visual.");
        int width = vision ? config.vision().width() : config.text().width();
        int layers = vision ? config.vision().layers() : config.text().layers();
        double attnStd = Math.pow(width, -0.5);
        double projStd = attnStd * Math.pow(2.0 * layers, -0.5);
        double fcStd = Math.pow(2.0 * width, -0.5);
        if (vision && config.isEva()) {
            evaValues(config, name, values, random);
        } else if (name.equals("logit_scale")) {
            values[0] = Math.log(1 / INITIAL_TEMPERATURE);
        } else if (name.endsWith("ln_1.weight")
                || name.endsWith("ln_2.weight")
                || name.endsWith("ln_pre.weight")
                || name.endsWith("ln_post.weight")
                || name.equals("ln_final.weight")) {
            Arrays.fill(values, 1.0);
        } else if (name.endsWith("bias")) {
            Arrays.fill(values, 0.0); // layer-norm shifts and every linear bias
        } else if (name.equals("visual.conv1.weight")) {
            double bound =
                    1 / Math.sqrt(3.0 * config.vision().patchSize() * config.vision().patchSize());
            for (int i = 0; i < n; i++) {
                values[i] = (2 * random.nextDouble() - 1) * bound;
            }
        } else {
            double std;
            if (name.equals("token_embedding.weight")) {
                std = 0.02;
            } else if (name.equals("positional_embedding")) {
                std = 0.01;
            } else if (name.endsWith("attn.in_proj_weight")) {
                std = attnStd;
            } else if (name.endsWith("attn.out_proj.weight")
                    || name.endsWith("mlp.c_proj.weight")) {
                std = projStd;
            } else if (name.endsWith("mlp.c_fc.weight")) {
                std = fcStd;
            } else if (name.equals("text_projection")
                    || name.equals("visual.class_embedding")
                    || name.equals("visual.positional_embedding")
                    || name.equals("visual.proj")) {
                std = attnStd;
            } else {
                throw new IllegalStateException("no initialisation rule for " + name);
            }
            for (int i = 0; i < n; i++) {
                values[i] = std * random.nextGaussian();
            }
        }
        return values;
    }

    private static void evaValues(ClipConfig config, String name, double[] values, Random random) {
        if (name.endsWith("norm1.weight")
                || name.endsWith("norm2.weight")
                || name.equals("visual.norm.weight")) {
            Arrays.fill(values, 1.0);
        } else if (name.endsWith("bias")) {
            Arrays.fill(
                    values,
                    0.0); // q_bias, v_bias, norm shifts, every Linear and the patch convolution
        } else if (name.equals("visual.patch_embed.proj.weight")) {
            double bound =
                    1 / Math.sqrt(3.0 * config.vision().patchSize() * config.vision().patchSize());
            for (int i = 0; i < values.length; i++) {
                values[i] = (2 * random.nextDouble() - 1) * bound;
            }
        } else {
            double std = 0.02;
            if (name.endsWith("attn.proj.weight") || name.endsWith("mlp.fc2.weight")) {
                int block =
                        Integer.parseInt(
                                name.substring("visual.blocks.".length(), name.indexOf('.', 14)));
                std /= Math.sqrt(2.0 * (block + 1));
            } else if (!(name.equals("visual.cls_token")
                    || name.equals("visual.pos_embed")
                    || name.endsWith("attn.qkv.weight")
                    || name.endsWith("mlp.fc1.weight")
                    || name.equals("visual.head.weight"))) {
                throw new IllegalStateException("no initialisation rule for " + name);
            }
            for (int i = 0; i < values.length; i++) {
                values[i] = std * random.nextGaussian();
            }
        }
    }
}
