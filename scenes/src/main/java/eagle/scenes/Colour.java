package eagle.scenes;

/** Object colours: saturated base RGB values (each instance jitters them a little). */
public enum Colour {
    RED("red", 0xDC2828),
    GREEN("green", 0x28B43C),
    BLUE("blue", 0x2850DC),
    YELLOW("yellow", 0xEBD228),
    PURPLE("purple", 0x8C32C8),
    ORANGE("orange", 0xF08C1E);

    private final String word;
    private final int rgb;

    Colour(String word, int rgb) {
        this.word = word;
        this.rgb = rgb;
    }

    public String word() {
        return word;
    }

    /** 0xRRGGBB. */
    public int rgb() {
        return rgb;
    }
}
