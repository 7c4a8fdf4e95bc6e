package eagle.scenes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipModel;
import eagle.core.train.TrainingSample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's training step written in PyTorch eager by {@code scripts/bench/pytorch_twin.py},
 * run on exactly what the Java step trains: the benchmark writes the initial parameters, the class
 * prompts and every batch (pixels, coverage, image index, labels) to a folder as safetensors, with
 * the step's settings in {@code twin.json}; the script trains the same parameters (the block
 * matrices of both towers, {@code logit_scale} and the sigmoid loss's scale and bias) with the same
 * loss (docs/METHOD.md §2–§3), the same optimizers (§5) and the same learning-rate schedule, and
 * prints one JSON line per optimizer.
 *
 * <p>It runs Debian's {@code python3-torch} at {@value #PYTHON}.
 */
final class PytorchTwin {

    static final String PYTHON = "/usr/bin/python3";

    static final String INSTALL = "apt-get install python3-torch";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One optimizer's figures from the script. */
    record Result(String optimizer, double imagesPerSecond, double firstLoss, double lastLoss) {}

    /**
     * What one run of the script printed.
     *
     * @param torch torch's version
     * @param threads its intra-op threads
     * @param gemmFlops its 512×512×512 float32 matmul rate, FLOP/s
     * @param results by optimizer name
     */
    record Report(String torch, int threads, double gemmFlops, Map<String, Result> results) {}

    private PytorchTwin() {}

    /** Why the twin cannot run here (no interpreter, no torch), or null when it can. */
    static String unavailable() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " is missing";
        }
        try {
            Process p =
                    new ProcessBuilder(PYTHON, "-c", "import torch")
                            .redirectErrorStream(true)
                            .start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null : "torch is not importable by " + PYTHON;
        } catch (IOException e) {
            return "cannot run " + PYTHON + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The script, under the repository root ({@code eagle.home}, else the working folder). */
    static Path script() {
        return Path.of(System.getProperty("eagle.home", "."))
                .resolve("scripts/bench/pytorch_twin.py");
    }

    /**
     * Writes what the twin trains to {@code dir}: {@code params.safetensors} (the model's
     * parameters before any step), {@code data.safetensors} ({@code prompts} (C, L) and, for every
     * step i, {@code pixels.i} (B, 3, S, S), {@code coverage.i} (N, P), {@code image.i} (N) and
     * {@code label.i} (N); ids as float32, exact below 2²⁴) and {@code twin.json}.
     */
    static void export(
            Path dir,
            ClipModel model,
            int[][] prompts,
            List<List<TrainingSample>> batches,
            Map<String, Object> settings)
            throws IOException {
        model.save(dir.resolve("params.safetensors"));
        Map<String, Safetensors.Tensor> data = new LinkedHashMap<>();
        float[] tokens = new float[prompts.length * prompts[0].length];
        for (int c = 0; c < prompts.length; c++) {
            for (int j = 0; j < prompts[c].length; j++) {
                tokens[c * prompts[c].length + j] = prompts[c][j];
            }
        }
        data.put(
                "prompts",
                Safetensors.Tensor.f32(new long[] {prompts.length, prompts[0].length}, tokens));
        int size = model.config().vision().imageSize();
        int patches = model.config().vision().numPatches();
        for (int i = 0; i < batches.size(); i++) {
            List<TrainingSample> batch = batches.get(i);
            int plane = 3 * size * size;
            float[] pixels = new float[batch.size() * plane];
            List<Float> image = new ArrayList<>();
            List<Float> label = new ArrayList<>();
            List<float[]> coverage = new ArrayList<>();
            for (int b = 0; b < batch.size(); b++) {
                System.arraycopy(batch.get(b).pixels(), 0, pixels, b * plane, plane);
                for (TrainingSample.Instance instance : batch.get(b).instances()) {
                    image.add((float) b);
                    label.add((float) instance.classId());
                    coverage.add(instance.coverage());
                }
            }
            int n = image.size();
            float[] cover = new float[n * patches];
            for (int k = 0; k < n; k++) {
                System.arraycopy(coverage.get(k), 0, cover, k * patches, patches);
            }
            data.put(
                    "pixels." + i,
                    Safetensors.Tensor.f32(new long[] {batch.size(), 3, size, size}, pixels));
            data.put("coverage." + i, Safetensors.Tensor.f32(new long[] {n, patches}, cover));
            data.put("image." + i, Safetensors.Tensor.f32(new long[] {n}, floats(image)));
            data.put("label." + i, Safetensors.Tensor.f32(new long[] {n}, floats(label)));
        }
        Safetensors.writeTensors(dir.resolve("data.safetensors"), data, Map.of());
        Map<String, Object> all = new LinkedHashMap<>(settings);
        all.put("config", JSON.readTree(model.config().toJson()));
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("twin.json").toFile(), all);
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /**
     * Runs the script on {@code dir} for the optimizers, one after the other in one process; its
     * other output goes to this process's error stream.
     *
     * @return its figures
     */
    static Report run(Path dir, List<String> optimizers, int threads)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(PYTHON);
        command.add(script().toString());
        command.add("--dir");
        command.add(dir.toString());
        command.add("--threads");
        command.add(String.valueOf(threads));
        command.add("--optimizers");
        command.add(String.join(",", optimizers));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        // OpenBLAS (behind Debian's torch) runs its own thread pool, which torch's thread count
        // does not bound: hold it to the same number, or the twin gets more cores than the Java
        // step
        builder.environment().putIfAbsent("OPENBLAS_NUM_THREADS", String.valueOf(threads));
        Process process = builder.start();
        Map<String, Result> results = new LinkedHashMap<>();
        String torch = "?";
        int torchThreads = 0;
        double gemm = Double.NaN;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (!line.startsWith("{")) {
                    System.err.println("pytorch twin: " + line);
                    continue;
                }
                JsonNode r = JSON.readTree(line);
                if (r.has("gemmFlops")) {
                    torch = r.path("torch").asText();
                    torchThreads = r.path("threads").asInt();
                    gemm = r.path("gemmFlops").asDouble();
                    continue;
                }
                results.put(
                        r.path("optimizer").asText(),
                        new Result(
                                r.path("optimizer").asText(),
                                r.path("imagesPerSecond").asDouble(),
                                r.path("firstLoss").asDouble(),
                                r.path("lastLoss").asDouble()));
            }
        }
        if (!process.waitFor(1, TimeUnit.HOURS)) {
            process.destroyForcibly();
            throw new IOException("the PyTorch twin did not finish within an hour");
        }
        if (process.exitValue() != 0) {
            throw new IOException("the PyTorch twin failed (exit " + process.exitValue() + ")");
        }
        return new Report(torch, torchThreads, gemm, results);
    }

    /** Deletes the folder the twin read. */
    static void deleteFolder(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
