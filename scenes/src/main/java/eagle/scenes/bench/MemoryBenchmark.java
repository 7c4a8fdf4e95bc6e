package eagle.scenes.bench;

import ai.djl.ndarray.NDArray;
import eagle.core.image.ImagePreprocessor;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.train.ClassBalancedSampler;
import eagle.core.train.EagleTrainer;
import eagle.core.train.TrainingConfig;
import eagle.core.train.TrainingSample;
import eagle.scenes.SceneGenerator;
import eagle.scenes.experiment.Args;
import eagle.scenes.experiment.EmbeddedBase;
import eagle.scenes.experiment.TrainingSamples;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Memory of an EAGLE training step (docs/METHOD.md §4–§5) on the CPU: the peak resident memory of
 * the process ({@code VmHWM}) and the optimizer-state bytes, for {@code ViT-B-16} and {@code
 * ViT-L-14-336} with GaLore-AdamW and with AdamW, randomly initialised (the weights' values do not
 * change the memory). Each (model, optimizer) pair runs in its own JVM, since the peak is the
 * process's.
 *
 * <pre>
 *   ./eagle bench memory [--batch 1] [--steps 2] [--classes 8]
 *   ./eagle bench memory --model ViT-B-16 --optimizer galore     one pair, in this JVM
 * </pre>
 *
 * The class prompts are C × 77 tokens (C = {@code --classes}); the trained parameters are the
 * trainer's defaults (both towers' block matrices, {@code logit_scale}, the loss's scale and bias).
 */
public final class MemoryBenchmark {

    private static final List<String> MODELS = List.of("ViT-B-16", "ViT-L-14-336");
    private static final List<String> OPTIMIZERS =
            List.of(TrainingConfig.GALORE, TrainingConfig.ADAMW);
    private static final String RESULT = "memory: ";

    public static void main(String[] argv) throws Exception {
        Args args;
        int batch;
        int steps;
        int classes;
        try {
            args = Args.parse(argv, Set.of("model", "optimizer", "batch", "steps", "classes"));
            batch = args.getInt("batch", 1);
            steps = args.getInt("steps", 2);
            classes = args.getInt("classes", 8);
        } catch (IllegalArgumentException e) {
            Args.exitWithUsageError("bench memory", e);
            return;
        }
        if (args.has("model") && args.has("optimizer")) {
            measure(args.get("model", ""), args.get("optimizer", ""), batch, steps, classes);
            return;
        }
        List<String> lines = new ArrayList<>();
        for (String model : MODELS) {
            for (String optimizer : OPTIMIZERS) {
                lines.add(child(model, optimizer, batch, steps, classes));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%nbatch %d, %d steps, %d class prompts of 77 tokens, %d PyTorch threads%n",
                batch,
                steps,
                classes,
                BenchMachine.threads());
        lines.forEach(System.out::println);
    }

    /** Runs one pair in a new JVM with this one's options and classpath; returns its result. */
    private static String child(String model, String optimizer, int batch, int steps, int classes)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MemoryBenchmark.class.getName());
        for (String[] option :
                new String[][] {
                    {"model", model},
                    {"optimizer", optimizer},
                    {"batch", String.valueOf(batch)},
                    {"steps", String.valueOf(steps)},
                    {"classes", String.valueOf(classes)}
                }) {
            command.add("--" + option[0]);
            command.add(option[1]);
        }
        Process process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = model + " " + optimizer + ": no result";
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    result = line.substring(RESULT.length()); // printed with the others at the end
                } else {
                    System.out.println(line);
                }
            }
        }
        if (process.waitFor() != 0) {
            result += " (exit " + process.exitValue() + ")";
        }
        return result;
    }

    private static void measure(String name, String optimizer, int batch, int steps, int classes)
            throws IOException {
        ClipConfig config = ClipConfig.preset(name);
        long start = residentKiB("VmRSS");
        SceneGenerator generator = SceneGenerator.standard(64);
        ImagePreprocessor preprocessor = new ImagePreprocessor(config.vision().imageSize());
        ClassBalancedSampler sampler = new ClassBalancedSampler(7);
        for (int i = 0; i < Math.max(4 * batch, 8); i++) {
            TrainingSample s =
                    TrainingSamples.of(
                            generator.generate(2_000_000_000L + i),
                            preprocessor,
                            config.vision().patchSize());
            List<TrainingSample.Instance> instances = new ArrayList<>();
            s.instances()
                    .forEach(
                            x ->
                                    instances.add(
                                            new TrainingSample.Instance(
                                                    x.classId() % classes, x.coverage())));
            sampler.add(new TrainingSample(s.imageId(), s.pixels(), instances));
        }
        int[][] prompts = new int[classes][config.text().contextLength()];
        for (int c = 0; c < classes; c++) {
            prompts[c][0] = config.text().vocabSize() - 2;
            prompts[c][1] = 1 + c;
            prompts[c][2] = config.text().vocabSize() - 1;
        }
        TrainingConfig training =
                TrainingConfig.defaults(Math.max(2, steps))
                        .withOptimizer(optimizer)
                        .withBatchImages(batch);
        try (ClipModel model = ClipModel.create(config, EmbeddedBase.device(), 1);
                EagleTrainer trainer = new EagleTrainer(model, null, training, prompts)) {
            long parameterBytes = 0;
            for (NDArray p : model.parameters().values()) {
                parameterBytes += p.size() * p.getDataType().getNumOfBytes();
            }
            long trainedBytes = 0;
            for (NDArray p : model.trainableParameters().values()) {
                trainedBytes += p.size() * p.getDataType().getNumOfBytes();
            }
            long withModel = residentKiB("VmRSS");
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainer.step(sampler.nextBatch(batch));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    RESULT
                            + "%s, %s, batch %d: peak resident %.2f GiB (%.2f GiB after building"
                            + " the model, %.2f GiB at start), optimizer state %.1f MB,"
                            + " parameters %.1f MB of which trained %.1f MB, %.1f s/step%n",
                    name,
                    optimizer.equals(TrainingConfig.GALORE) ? "GaLore-AdamW" : "AdamW",
                    batch,
                    residentKiB("VmHWM") / 1048576.0,
                    withModel / 1048576.0,
                    start / 1048576.0,
                    trainer.optimizer().stateBytes() / 1e6,
                    parameterBytes / 1e6,
                    trainedBytes / 1e6,
                    seconds / steps);
        }
    }

    /** A {@code /proc/self/status} line in KiB (VmRSS now, VmHWM the peak); −1 off Linux. */
    static long residentKiB(String field) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
