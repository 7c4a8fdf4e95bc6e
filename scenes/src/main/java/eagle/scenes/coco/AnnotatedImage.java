package eagle.scenes.coco;

import eagle.scenes.Instance;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Set;

/**
 * One image of a COCO data set with its instances. An instance's classId is the index of its
 * category in {@link CocoDataset#categories()} (sorted by COCO id), so for data written by {@link
 * CocoExport} it equals the taxonomy id.
 *
 * @param id COCO image id
 * @param fileName file name relative to the JSON's folder
 * @param width pixels
 * @param height pixels
 * @param image the pixels, or null when the import was asked not to load images
 * @param instances annotations in file order; instanceId is the "instance_id" field when present,
 *     else the annotation id
 * @param caption the "caption" field, or "" when absent
 * @param crowd the instanceIds of annotations with "iscrowd": 1 (a group of objects, not one)
 */
public record AnnotatedImage(
        long id,
        String fileName,
        int width,
        int height,
        BufferedImage image,
        List<Instance> instances,
        String caption,
        Set<String> crowd) {

    public AnnotatedImage {
        instances = List.copyOf(instances);
        crowd = Set.copyOf(crowd);
    }

    /** An image without crowd annotations. */
    public AnnotatedImage(
            long id,
            String fileName,
            int width,
            int height,
            BufferedImage image,
            List<Instance> instances,
            String caption) {
        this(id, fileName, width, height, image, instances, caption, Set.of());
    }

    /** Whether the instance is a crowd annotation. */
    public boolean isCrowd(Instance instance) {
        return crowd.contains(instance.instanceId());
    }
}
