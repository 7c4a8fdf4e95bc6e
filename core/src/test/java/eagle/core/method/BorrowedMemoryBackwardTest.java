package eagle.core.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression: the arrays pooling builds from host data (the gather index and the weights) must
 * still be valid when backward runs, after pool() has returned and closed them and the JVM has
 * collected and reused their buffers.
 */
class BorrowedMemoryBackwardTest {

    @Test
    void poolingGradientIsRightAfterItsHostBuffersWereCollectedAndReused() {
        int b = 3;
        int p = 4;
        int d = 2;
        int[] imageIndex = {2, 0, 2};
        float[][] coverage = {{1, 1, 0, 0}, {0, 0, 0, 1}, {0, 0.5f, 0.5f, 0}};
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = new float[b * p * d];
            for (int i = 0; i < values.length; i++) {
                values[i] = 0.1f * (i % 7) - 0.2f;
            }
            NDArray patches = manager.create(values, new Shape(b, p, d));
            patches.setRequiresGradient(true);
            NDArray upstream = manager.create(new float[] {1, -2, 0.5f, 3, -1, 2}, new Shape(3, d));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // a linear function of the pooled sum (before normalisation) would hide nothing;
                // use the
                // normalised output and an upstream weighting so every saved tensor matters
                NDArray v = new MaskedAveragePooling(0f).pool(patches, imageIndex, coverage);
                churnDirectMemory();
                collector.backward(v.mul(upstream).sum());
            }
            float[] grad = patches.getGradient().toFloatArray();

            // the same computation again, with no churn in between: an independent reference
            NDArray fresh = manager.create(values, new Shape(b, p, d));
            fresh.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray v = new MaskedAveragePooling(0f).pool(fresh, imageIndex, coverage);
                collector.backward(v.mul(upstream).sum());
            }
            assertArrayEquals(fresh.getGradient().toFloatArray(), grad, 1e-6f);
            // rows of image 1 take part in no instance: their gradient is exactly zero
            for (int i = p * d; i < 2 * p * d; i++) {
                assertArrayEquals(new float[] {0f}, new float[] {grad[i]});
            }
        }
    }

    @Test
    void scalarOperationsKeepTheirScalarForBackward() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {0.5f, 2f, 3f}, new Shape(3));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y =
                        eagle.core.model.HostData.times(x, 1.702)
                                .add(eagle.core.model.HostData.atLeast(x, 1.0))
                                .add(eagle.core.model.HostData.over(x, 4.0));
                churnDirectMemory();
                collector.backward(y.sum());
            }
            // d/dx [1.702 x + max(x, 1) + x / 4] = 1.702 + [x > 1] + 0.25, by hand
            assertArrayEquals(
                    new float[] {1.952f, 2.952f, 2.952f}, x.getGradient().toFloatArray(), 1e-5f);
        }
    }

    /**
     * Frees collected direct buffers and fills fresh ones with large values, so reused memory
     * shows.
     */
    private static void churnDirectMemory() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            List<ByteBuffer> buffers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(256);
                while (buffer.remaining() >= 8) {
                    buffer.putLong(0x7F00_0000_0000_0000L + i);
                }
                buffers.add(buffer);
            }
        }
    }
}
