package eagle.scenes.coco;

/** A COCO category: {"id", "name", "supercategory"}. */
public record CocoCategory(int id, String name, String supercategory) {}
