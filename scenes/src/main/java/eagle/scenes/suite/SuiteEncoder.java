package eagle.scenes.suite;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What the suite needs from an encoder (B images, P patches, T prompts, D joint width). Features
 * are in the joint image-text space and need not be normalised: the runner normalises them.
 */
public interface SuiteEncoder {

    /** The CLS feature g of each image: (B, D). */
    float[][] imageCls(List<BufferedImage> images);

    /** The sequence features S_p of each image's patches: (B, P, D). */
    float[][][] imagePatches(List<BufferedImage> images);

    /** The text feature of each prompt: (T, D). */
    float[][] texts(List<String> prompts);

    /**
     * S, the side of the encoder's square input (resize-shortest-side then centre crop), which
     * places masks on the patch grid ({@code eagle.core.mask.PatchCoverage}); needed only for
     * masked zero-shot items.
     */
    default int inputSize() {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " does not tell its input size");
    }
}
