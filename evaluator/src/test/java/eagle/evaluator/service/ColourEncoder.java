package eagle.evaluator.service;

import eagle.scenes.suite.SuiteEncoder;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Features from each image's mean colour and each text's letters: (B, D = 3), (B, P = 1, D), (T,
 * D).
 */
final class ColourEncoder implements SuiteEncoder {
    @Override
    public float[][] imageCls(List<BufferedImage> images) {
        return images.stream().map(ColourEncoder::mean).toArray(float[][]::new);
    }

    @Override
    public float[][][] imagePatches(List<BufferedImage> images) {
        return images.stream().map(i -> new float[][] {mean(i)}).toArray(float[][][]::new);
    }

    @Override
    public float[][] texts(List<String> prompts) {
        return prompts.stream()
                .map(p -> new float[] {p.length(), p.indexOf('e') + 2, p.hashCode() % 7 + 8})
                .toArray(float[][]::new);
    }

    private static float[] mean(BufferedImage image) {
        float[] m = new float[3];
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                int rgb = image.getRGB(x, y);
                m[0] += (rgb >> 16) & 255;
                m[1] += (rgb >> 8) & 255;
                m[2] += rgb & 255;
            }
        }
        m[0] += 1;
        return m;
    }
}
