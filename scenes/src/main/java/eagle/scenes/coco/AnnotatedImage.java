package eagle.scenes.coco;

import eagle.scenes.Instance;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * One image of a COCO data set with its instances. An instance's classId is the index of its
 * category in {@link CocoDataset#categories()} (sorted by COCO id), so for data written by
 * {@link CocoExport} it equals the taxonomy id.
 *
 * @param id       COCO image id
 * @param fileName file name relative to the JSON's folder
 * @param width    pixels
 * @param height   pixels
 * @param image    the pixels, or null when the import was asked not to load images
 * @param instances annotations in file order; instanceId is the "instance_id" field when present,
 *                 else the annotation id
 * @param caption  the "caption" field, or "" when absent
 */
public record AnnotatedImage(long id, String fileName, int width, int height, BufferedImage image,
                             List<Instance> instances, String caption) {
}
