package eagle.demo;

import eagle.core.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * An encoder the gate must reject: a copy of a file whose image-tower matrices ({@code visual.*}
 * with two or more dimensions) are replaced by N(0, 0.02²) noise, the rest (text tower, norms,
 * metadata: the same architecture) unchanged. The demo registers one after its blessed candidate is
 * served, to show the gate still says no; the platform tests do the same.
 */
public final class DestroyedEncoder {

    private DestroyedEncoder() {}

    /** Writes the destroyed copy of {@code source} to {@code target}; the noise comes from seed. */
    public static Path write(Path source, Path target, long seed) throws IOException {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>(Safetensors.readAll(source));
        Random random = new Random(seed);
        for (Map.Entry<String, Safetensors.Tensor> e : tensors.entrySet()) {
            Safetensors.Tensor t = e.getValue();
            if (e.getKey().startsWith("visual.") && t.shape().length >= 2) {
                float[] values = new float[t.values().length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * 0.02);
                }
                e.setValue(Safetensors.Tensor.f32(t.shape(), values));
            }
        }
        Safetensors.writeTensors(target, tensors, Safetensors.readHeader(source).metadata());
        return target;
    }
}
