package eagle.scenes;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kind of scene with a co-occurrence prior: its backgrounds (with weights) and the classes it
 * favours. An object of a scene of this type is drawn from the favoured classes with probability
 * {@code SceneConfig.favourProbability} and uniformly from all classes otherwise, so the classes of
 * one scene type co-occur and some absent classes are "expected".
 *
 * @param name "garden", "beach", ...
 * @param backgrounds background → relative weight
 * @param favoured class ids favoured (may be empty: uniform)
 */
public record SceneType(String name, Map<Background, Double> backgrounds, List<Integer> favoured) {

    public SceneType {
        if (backgrounds.isEmpty()) {
            throw new IllegalArgumentException("scene type " + name + " has no background");
        }
        backgrounds = Map.copyOf(new EnumMap<>(backgrounds));
        favoured = List.copyOf(favoured);
    }

    /**
     * The five default scene types over any taxonomy: each favours the classes whose shape and
     * colour are in its sets (every texture): garden (grass) — discs, stars × green, yellow; beach
     * (sand 0.7, water 0.3) — discs, triangles × yellow, blue; harbour (water 0.8, plain 0.2) —
     * triangles, squares × blue, red; workshop (plain 0.6, noise 0.4) — squares, stars × red,
     * green; playroom (noise 0.6, plain 0.4) — stars, triangles × red, yellow.
     */
    public static List<SceneType> defaults(Taxonomy taxonomy) {
        return List.of(
                of(
                        taxonomy,
                        "garden",
                        Map.of(Background.GRASS, 1.0),
                        Set.of(Shape.DISC, Shape.STAR),
                        Set.of(Colour.GREEN, Colour.YELLOW)),
                of(
                        taxonomy,
                        "beach",
                        Map.of(Background.SAND, 0.7, Background.WATER, 0.3),
                        Set.of(Shape.DISC, Shape.TRIANGLE),
                        Set.of(Colour.YELLOW, Colour.BLUE)),
                of(
                        taxonomy,
                        "harbour",
                        Map.of(Background.WATER, 0.8, Background.PLAIN, 0.2),
                        Set.of(Shape.TRIANGLE, Shape.SQUARE),
                        Set.of(Colour.BLUE, Colour.RED)),
                of(
                        taxonomy,
                        "workshop",
                        Map.of(Background.PLAIN, 0.6, Background.NOISE, 0.4),
                        Set.of(Shape.SQUARE, Shape.STAR),
                        Set.of(Colour.RED, Colour.GREEN)),
                of(
                        taxonomy,
                        "playroom",
                        Map.of(Background.NOISE, 0.6, Background.PLAIN, 0.4),
                        Set.of(Shape.STAR, Shape.TRIANGLE),
                        Set.of(Colour.RED, Colour.YELLOW)));
    }

    private static SceneType of(
            Taxonomy t,
            String name,
            Map<Background, Double> bg,
            Set<Shape> shapes,
            Set<Colour> colours) {
        List<Integer> fav = new ArrayList<>();
        for (ObjectClass c : t.classes()) {
            if (shapes.contains(c.shape()) && colours.contains(c.colour())) {
                fav.add(c.id());
            }
        }
        return new SceneType(name, bg, fav);
    }

    /** A canonical text (for suite ids): name, sorted backgrounds with weights, favoured ids. */
    public String canonical() {
        StringBuilder sb = new StringBuilder(name).append('[');
        new EnumMap<>(backgrounds)
                .forEach((b, w) -> sb.append(b.word()).append('=').append(w).append(';'));
        return sb.append("]").append(favoured).toString();
    }
}
