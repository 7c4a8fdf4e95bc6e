package eagle.scenes;

import java.util.SplittableRandom;

/**
 * Scene backgrounds, procedurally drawn from a seed; scale s = min(W, H) / 64 keeps the patterns'
 * look the same at any resolution.
 */
public enum Background {
    GRASS("grass", "on grass"),
    SAND("sand", "on sand"),
    WATER("water", "on water"),
    PLAIN("plain", "on a plain background"),
    NOISE("noise", "on a noisy background");

    private final String word;
    private final String phrase;

    Background(String word, String phrase) {
        this.word = word;
        this.phrase = phrase;
    }

    public String word() {
        return word;
    }

    /** How captions name it: "on grass". */
    public String phrase() {
        return phrase;
    }

    /** The background by its word ("grass"), or an exception naming the known ones. */
    public static Background ofWord(String w) {
        for (Background b : values()) {
            if (b.word.equals(w)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown background '" + w + "'");
    }

    /** Draws the background into row-major 0xRRGGBB pixels (H·W). */
    public int[] paint(int width, int height, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double s = Math.min(width, height) / 64.0;
        int[] px = new int[width * height];
        switch (this) {
            case GRASS -> {
                int g0 = 100 + rng.nextInt(40);
                for (int i = 0; i < px.length; i++) {
                    px[i] = rgb(45 + rng.nextInt(20), g0 + rng.nextInt(30), 30 + rng.nextInt(15));
                }
                int blades = (int) (width * height / (12 * s * s)) + 1;
                for (int k = 0; k < blades; k++) {
                    int x = rng.nextInt(width);
                    int y0 = rng.nextInt(height);
                    int len = (int) Math.max(1, Math.round((2 + rng.nextInt(4)) * s));
                    int c = rgb(25, 70 + rng.nextInt(30), 20);
                    for (int y = y0; y < Math.min(height, y0 + len); y++) {
                        px[y * width + x] = c;
                    }
                }
            }
            case SAND -> {
                int r0 = 200 + rng.nextInt(25);
                for (int i = 0; i < px.length; i++) {
                    int d = rng.nextInt(25);
                    px[i] =
                            rng.nextInt(40) == 0
                                    ? rgb(150, 130, 95)
                                    : rgb(r0 - d, r0 - 20 - d, 140 - d);
                }
            }
            case WATER -> {
                double period = (8 + rng.nextInt(6)) * s;
                double phase = rng.nextDouble() * 2 * Math.PI;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        double w =
                                Math.sin(
                                        2 * Math.PI * (y + 2 * s * Math.sin(x / (5 * s))) / period
                                                + phase);
                        int d = (int) Math.round(25 * w) + rng.nextInt(8);
                        px[y * width + x] = rgb(30 + d / 2, 90 + d, 165 + d);
                    }
                }
            }
            case PLAIN -> {
                int c = rgb(140 + rng.nextInt(90), 140 + rng.nextInt(90), 140 + rng.nextInt(90));
                java.util.Arrays.fill(px, c);
            }
            case NOISE -> {
                for (int i = 0; i < px.length; i++) {
                    px[i] =
                            rgb(
                                    40 + rng.nextInt(176),
                                    40 + rng.nextInt(176),
                                    40 + rng.nextInt(176));
                }
            }
        }
        return px;
    }

    static int rgb(int r, int g, int b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
