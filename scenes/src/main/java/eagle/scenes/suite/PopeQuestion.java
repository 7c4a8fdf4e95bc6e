package eagle.scenes.suite;

/**
 * "Is there a {class} in image {imageIndex}?" with its true answer.
 *
 * @param imageIndex index into the set's images
 * @param classId taxonomy id asked about
 * @param truth whether the class is present (has at least one visible instance)
 */
public record PopeQuestion(int imageIndex, int classId, boolean truth) {}
