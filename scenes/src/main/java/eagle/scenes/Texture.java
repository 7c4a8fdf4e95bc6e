package eagle.scenes;

/**
 * Surface patterns. In the object frame (u, v) with band width w (pixels, grows with resolution):
 * SOLID is the colour everywhere; STRIPED alternates the colour and a dark shade (×0.35) in bands
 * ⌊v / w⌋ even/odd; DOTTED puts near-white dots of radius 0.8 w on a grid of pitch 3 w.
 */
public enum Texture {
    SOLID(""),
    STRIPED("striped"),
    DOTTED("dotted");

    private final String word;

    Texture(String word) {
        this.word = word;
    }

    /** The adjective in class names; empty for SOLID. */
    public String word() {
        return word;
    }

    /** Colour of the texture at object-frame point (u, v) for base colour rgb and band width w. */
    public int colourAt(int rgb, double u, double v, double w) {
        return switch (this) {
            case SOLID -> rgb;
            case STRIPED ->
                    Math.floorMod((long) Math.floor(v / w), 2) == 1 ? shade(rgb, 0.35) : rgb;
            case DOTTED -> {
                double pitch = 3 * w;
                double du = u - pitch * (Math.floor(u / pitch) + 0.5);
                double dv = v - pitch * (Math.floor(v / pitch) + 0.5);
                yield du * du + dv * dv <= 0.64 * w * w ? 0xF5F5F5 : rgb;
            }
        };
    }

    static int shade(int rgb, double f) {
        int r = (int) Math.round(((rgb >> 16) & 0xFF) * f);
        int g = (int) Math.round(((rgb >> 8) & 0xFF) * f);
        int b = (int) Math.round((rgb & 0xFF) * f);
        return (r << 16) | (g << 8) | b;
    }
}
