package eagle.core.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import eagle.core.eval.Vectors;
import java.util.Random;

/**
 * Measures training throughput of a CLIP config on this machine: one step is the forward and
 * backward pass of B images through the vision tower and of C class prompts through the text tower
 * under CLIP's symmetric contrastive loss, with every parameter requiring gradients (the optimiser
 * update is not included). Run: {@code java ... eagle.core.model.TrainingThroughputBenchmark
 * [preset] [batch] [steps]}.
 */
public final class TrainingThroughputBenchmark {

    private TrainingThroughputBenchmark() {}

    /**
     * Throughput over {@code steps} timed steps after two warm-up steps.
     *
     * @param wallImagesPerSecond images per second of elapsed time
     * @param cpuImagesPerSecond images per second of this process's CPU time (all threads), which
     *     is what one dedicated core would give; it does not count time lost to other processes on
     *     a busy machine
     */
    public record Throughput(double wallImagesPerSecond, double cpuImagesPerSecond) {}

    /** Measures {@code steps} training steps of {@code batch} images (see the class comment). */
    public static Throughput measure(ClipConfig config, int batch, int steps) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        Random random = new Random(7);
        try (ClipModel model = ClipModel.create(config, Device.cpu(), 1);
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            model.setTrainable(name -> true);
            int s = config.vision().imageSize();
            int t = config.text().contextLength();
            int[][] tokens = new int[batch][t];
            for (int[] row : tokens) {
                int length = 4 + random.nextInt(t - 5);
                for (int j = 1; j < length - 1; j++) {
                    row[j] = 1 + random.nextInt(config.text().vocabSize() - 4);
                }
                row[0] = config.text().vocabSize() - 2;
                row[length - 1] = config.text().vocabSize() - 1;
            }
            long start = 0;
            long cpuStart = 0;
            for (int step = 0; step < steps + 2; step++) {
                if (step == 2) {
                    start = System.nanoTime();
                    cpuStart = os.getProcessCpuTime();
                }
                try (NDScope scope = new NDScope();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray pixels = manager.randomNormal(new Shape(batch, 3, s, s));
                    NDArray image = Vectors.normalized(model.encodeImage(pixels).cls()); // (B, D)
                    NDArray text = Vectors.normalized(model.encodeText(tokens)); // (C, D)
                    NDArray logits =
                            image.matMul(text.transpose()).mul(model.logitScale().exp()); // (B, C)
                    NDArray eye = manager.eye(batch);
                    NDArray loss =
                            logits.logSoftmax(1)
                                    .mul(eye)
                                    .sum()
                                    .add(logits.logSoftmax(0).mul(eye).sum())
                                    .div(-2.0 * batch);
                    collector.backward(loss);
                }
                model.parameters().values().forEach(p -> p.getGradient().close());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
            return new Throughput(
                    batch * (double) steps / seconds, batch * (double) steps / cpuSeconds);
        }
    }

    public static void main(String[] args) {
        ClipConfig config = ClipConfig.preset(args.length > 0 ? args[0] : "tiny");
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Throughput t = measure(config, batch, steps);
        System.out.printf(
                "%s batch %d: %.1f images/s wall, %.1f images/s per CPU-second%n",
                config, batch, t.wallImagesPerSecond(), t.cpuImagesPerSecond());
    }
}
