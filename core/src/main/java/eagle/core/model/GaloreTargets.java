package eagle.core.model;

import java.util.regex.Pattern;

/**
 * The parameters whose gradients GaLore projects (docs/METHOD.md §5): the 2-D attention and MLP
 * matrices of every residual block of either tower, by OpenAI CLIP's state-dict name.
 *
 * <pre>
 * [visual.]transformer.resblocks.{i}.attn.in_proj_weight    (3W, W)
 * [visual.]transformer.resblocks.{i}.attn.out_proj.weight   (W, W)
 * [visual.]transformer.resblocks.{i}.mlp.c_fc.weight        (4W, W)
 * [visual.]transformer.resblocks.{i}.mlp.c_proj.weight      (W, 4W)
 * visual.blocks.{i}.attn.qkv.weight                        (3W, W)   EVA01-CLIP image tower
 * visual.blocks.{i}.attn.proj.weight                       (W, W)
 * visual.blocks.{i}.mlp.fc1.weight                         (M, W)
 * visual.blocks.{i}.mlp.fc2.weight                         (W, M)
 * </pre>
 */
public final class GaloreTargets {

    /** The names above. */
    public static final Pattern PATTERN =
            Pattern.compile(
                    "(visual\\.)?transformer\\.resblocks\\.\\d+\\."
                            + "(attn\\.in_proj_weight|attn\\.out_proj\\.weight|mlp\\.c_fc\\.weight|mlp\\.c_proj\\.weight)"
                            + "|visual\\.blocks\\.\\d+\\.(attn\\.qkv\\.weight|attn\\.proj\\.weight|mlp\\.fc1\\.weight|mlp\\.fc2\\.weight)");

    private GaloreTargets() {}

    /** Whether GaLore projects the gradient of the parameter named {@code name}. */
    public static boolean isTarget(String name) {
        return PATTERN.matcher(name).matches();
    }
}
