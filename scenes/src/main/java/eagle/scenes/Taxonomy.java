package eagle.scenes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The class list C of the synthetic world and the prompt template that turns a class into text:
 * prompt(c) = template with "{c}" replaced by the class name (default "This is an image of a {c}").
 *
 * <p>The standard taxonomy is 4 shapes (square, triangle, disc, star) × 4 colours (red, green,
 * blue, yellow) × 2 textures (solid, striped) = 32 classes; ids run shape-major, then colour, then
 * texture.
 */
public final class Taxonomy {

    public static final String DEFAULT_TEMPLATE = "This is an image of a {c}";

    private final List<ObjectClass> classes;
    private final String template;
    private final Map<String, Integer> byName = new HashMap<>();

    private Taxonomy(List<ObjectClass> classes, String template) {
        if (!template.contains("{c}")) {
            throw new IllegalArgumentException(
                    "prompt template must contain {c}: '" + template + "'");
        }
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("a taxonomy needs at least one class");
        }
        this.classes = List.copyOf(classes);
        this.template = template;
        for (ObjectClass c : classes) {
            if (byName.put(c.name(), c.id()) != null) {
                throw new IllegalArgumentException("duplicate class name '" + c.name() + "'");
            }
        }
    }

    /** The 32-class standard taxonomy with the default template. */
    public static Taxonomy standard() {
        return of(
                List.of(Shape.SQUARE, Shape.TRIANGLE, Shape.DISC, Shape.STAR),
                List.of(Colour.RED, Colour.GREEN, Colour.BLUE, Colour.YELLOW),
                List.of(Texture.SOLID, Texture.STRIPED),
                DEFAULT_TEMPLATE);
    }

    /** The product shapes × colours × textures, ids shape-major. */
    public static Taxonomy of(
            List<Shape> shapes, List<Colour> colours, List<Texture> textures, String template) {
        List<ObjectClass> out = new ArrayList<>();
        for (Shape s : shapes) {
            for (Colour c : colours) {
                for (Texture t : textures) {
                    out.add(new ObjectClass(out.size(), s, c, t));
                }
            }
        }
        return new Taxonomy(out, template);
    }

    /** The same classes with another prompt template (must contain "{c}"). */
    public Taxonomy withTemplate(String newTemplate) {
        return new Taxonomy(classes, newTemplate);
    }

    public int size() {
        return classes.size();
    }

    public List<ObjectClass> classes() {
        return classes;
    }

    public ObjectClass get(int id) {
        if (id < 0 || id >= classes.size()) {
            throw new IllegalArgumentException(
                    "class id " + id + " outside 0.." + (classes.size() - 1));
        }
        return classes.get(id);
    }

    public String name(int id) {
        return get(id).name();
    }

    public List<String> names() {
        return classes.stream().map(ObjectClass::name).toList();
    }

    /** The id of a class name, or −1. */
    public int idOf(String name) {
        return byName.getOrDefault(name, -1);
    }

    public String template() {
        return template;
    }

    public String prompt(int id) {
        return template.replace("{c}", name(id));
    }

    /** prompt(c) for every class, in id order: (C). */
    public List<String> prompts() {
        List<String> p = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            p.add(prompt(c));
        }
        return p;
    }

    /** The class with the same shape and texture in another colour, or −1. */
    public int recoloured(int id, Colour colour) {
        ObjectClass c = get(id);
        for (ObjectClass o : classes) {
            if (o.shape() == c.shape() && o.texture() == c.texture() && o.colour() == colour) {
                return o.id();
            }
        }
        return -1;
    }

    /** A canonical text of the taxonomy (for suite ids). */
    public String canonical() {
        return template + "|" + String.join(",", names());
    }
}
