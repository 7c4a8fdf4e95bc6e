package eagle.scenes.coco;

import java.util.List;

/** A COCO instance data set in memory: categories sorted by id, images in file order. */
public record CocoDataset(List<CocoCategory> categories, List<AnnotatedImage> images) {

    public CocoDataset {
        categories = List.copyOf(categories);
        images = List.copyOf(images);
    }

    /** Category names in classId order. */
    public List<String> categoryNames() {
        return categories.stream().map(CocoCategory::name).toList();
    }
}
