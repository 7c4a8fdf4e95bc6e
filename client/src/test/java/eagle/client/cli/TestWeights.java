package eagle.client.cli;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Small CLIP weights for the register tests, written without an engine (plain float arrays,
 * seeded).
 */
final class TestWeights {

    private TestWeights() {}

    /**
     * A small explicit architecture with CLIP's text vocabulary (49408) and context (77): vision 32
     * px in 16 px patches, widths 64 (one 64-wide head, OpenAI's head width, so the shapes alone
     * tell the config).
     */
    static ClipConfig smallClip() {
        return new ClipConfig(
                new ClipConfig.VisionConfig(
                        32, 16, 64, 1, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                new ClipConfig.TextConfig(
                        77, 49408, 64, 1, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                32);
    }

    /** Seeded tensors of exactly {@code config}'s names and shapes. */
    static Map<String, Safetensors.Tensor> tensors(ClipConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        config.parameterShapes()
                .forEach(
                        (name, shape) -> {
                            float[] values = new float[(int) Safetensors.elementCount(shape)];
                            for (int i = 0; i < values.length; i++) {
                                values[i] = (float) (random.nextGaussian() * 0.02);
                            }
                            tensors.put(name, Safetensors.Tensor.f32(shape, values));
                        });
        return tensors;
    }

    /** An OpenAI-named file of {@code tensors} with {@code metadata}. */
    static Path write(
            Path file, Map<String, Safetensors.Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Safetensors.writeTensors(file, tensors, metadata);
        return file;
    }
}
