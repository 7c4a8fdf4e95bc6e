package eagle.scenes;

import java.util.List;

/**
 * What a scene contains before it is drawn: objects in drawing order (later ones occlude earlier).
 *
 * @param seed the scene's seed (identifies it)
 * @param width pixels
 * @param height pixels
 * @param sceneType name of the scene type
 * @param background background kind
 * @param backgroundSeed seed of the background's procedural pattern
 * @param objects objects in drawing order
 */
public record SceneLayout(
        long seed,
        int width,
        int height,
        String sceneType,
        Background background,
        long backgroundSeed,
        List<PlacedObject> objects) {

    public SceneLayout {
        objects = List.copyOf(objects);
    }

    public SceneLayout withObjects(List<PlacedObject> newObjects) {
        return new SceneLayout(
                seed, width, height, sceneType, background, backgroundSeed, newObjects);
    }

    public SceneLayout withSeed(long newSeed) {
        return new SceneLayout(
                newSeed, width, height, sceneType, background, backgroundSeed, objects);
    }
}
