package eagle.scenes;

/**
 * One class of the taxonomy: a shape with a colour and a texture, named in words ("red triangle",
 * "striped blue disc").
 *
 * @param id index in the taxonomy (0..C−1)
 */
public record ObjectClass(int id, Shape shape, Colour colour, Texture texture) {

    /** "striped red triangle", "red triangle" for SOLID. */
    public String name() {
        return words(shape.word());
    }

    /** "striped red triangles". */
    public String plural() {
        return words(shape.plural());
    }

    private String words(String noun) {
        String c = colour.word() + " " + noun;
        return texture.word().isEmpty() ? c : texture.word() + " " + c;
    }
}
