package eagle.scenes.suite;

import eagle.core.mask.BinaryMask;
import java.awt.image.BufferedImage;

/**
 * One zero-shot classification item (docs/METHOD.md §6). zeroshot_cls scores the CLS feature of
 * {@code clsImage}; zeroshot_seq scores the patch features of {@code image}: their mean when {@code
 * mask} is null, else their masked average over the mask's patches (docs/METHOD.md §2).
 *
 * @param clsImage the image whose CLS feature is classified (the object's crop, or the whole image)
 * @param image the image whose patch features are pooled
 * @param mask the object's pixels in {@code image} (H × W), or null to pool every patch
 * @param label the true class id
 */
public record ZeroShotItem(
        BufferedImage clsImage, BufferedImage image, BinaryMask mask, int label) {

    /** A whole-image item: CLS and mean patch of the same image. */
    public static ZeroShotItem whole(BufferedImage image, int label) {
        return new ZeroShotItem(image, image, null, label);
    }
}
