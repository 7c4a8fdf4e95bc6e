package eagle.core.hf;

import ai.djl.Device;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face transformers CLIP folder ({@code config.json} + {@code model.safetensors})
 * into our OpenAI-named tensors: the inverse of {@link HfClipExport}, mapping names by {@link
 * HfClipNames} (q, k, v concatenated into {@code in_proj_*}, projections transposed) and the
 * architecture by {@link HfClipConfig}.
 *
 * <p>The weights must hold exactly the tensors of the config: the {@code position_ids} buffers of
 * older checkpoints ({@link HfClipNames#IGNORED_BUFFERS}) are skipped by name, and any other
 * missing, unknown or misshaped tensor is refused with one message listing them all, before any
 * data is read. F16, BF16 and F64 weights are converted to float32. Only a single {@code
 * model.safetensors} is read (not sharded checkpoints, not {@code pytorch_model.bin}).
 *
 * <p>A folder holding a vision tower alone ({@code CLIPVisionModel} or {@code
 * CLIPVisionModelWithProjection}, model_type {@code clip_vision_model}) cannot become a {@link
 * ClipModel}, which has both towers: {@link #read} refuses it with that reason, and {@link
 * #readVision} returns its vision tensors.
 *
 * <p>Memory: the weights are streamed one tensor at a time; the converted tensors are held once.
 */
public final class HfClipImport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfClipImport() {}

    /**
     * A whole model in our names.
     *
     * @param config the architecture
     * @param tensors our tensors, in {@link ClipConfig#parameterShapes()} order
     */
    public record Imported(ClipConfig config, Map<String, Safetensors.Tensor> tensors) {}

    /**
     * A vision tower in our names.
     *
     * @param config the tower
     * @param projectionDim D of the projection (from the config; the weights hold it only when
     *     {@link #hasProjection()})
     * @param tensors {@code visual.*} tensors in {@link ClipConfig#parameterShapes()} order; {@code
     *     visual.proj} (W, D) only when the folder has {@code visual_projection.weight}
     */
    public record VisionTower(
            ClipConfig.VisionConfig config,
            int projectionDim,
            Map<String, Safetensors.Tensor> tensors) {

        /** Whether the folder held the projection into the joint space. */
        public boolean hasProjection() {
            return tensors.containsKey("visual.proj");
        }
    }

    /**
     * The architecture of a {@code CLIPModel} folder, from its {@code config.json}.
     *
     * @throws IllegalArgumentException for a folder without one, a vision tower alone, or another
     *     model
     */
    public static ClipConfig readConfig(Path folder) throws IOException {
        return HfClipConfig.fromConfigJson(
                configJson(folder), folder.resolve(HfClipExport.CONFIG_FILE).toString());
    }

    /**
     * The architecture and our tensors of a {@code CLIPModel} folder.
     *
     * @throws IllegalArgumentException naming every missing, unknown and misshaped tensor, or why
     *     the folder is not a CLIPModel folder
     */
    public static Imported read(Path folder) throws IOException {
        ClipConfig config = readConfig(folder);
        Path weights = weights(folder);
        Map<String, long[]> expected = HfClipNames.hfShapes(config);
        Safetensors.requireShapes(
                weights.toString(),
                expected,
                withoutBuffers(Safetensors.readHeader(weights).shapes()));
        Map<String, Safetensors.Tensor> ours = convert(weights, HfClipNames.rules(config));
        return new Imported(config, ordered(config.parameterShapes().keySet(), ours));
    }

    /**
     * Converts a {@code CLIPModel} folder into an OpenAI-named safetensors file with the
     * architecture in its metadata, which {@code ClipModel.load(file, device)} reads.
     *
     * @return the architecture
     */
    public static ClipConfig convert(Path folder, Path openAiFile) throws IOException {
        Imported imported = read(folder);
        OpenAiClipFile.write(openAiFile, imported.config(), imported.tensors());
        return imported.config();
    }

    /** Loads a {@code CLIPModel} folder as a float32 {@link ClipModel} on {@code device}. */
    public static ClipModel load(Path folder, Device device) throws IOException {
        Path temp = Files.createTempFile("eagle-hf-import-", ".safetensors");
        try {
            ClipConfig config = convert(folder, temp);
            return ClipModel.load(temp, config, device);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The vision tower of a folder holding a {@code CLIPModel} (the text tower's tensors are
     * checked and skipped) or a vision tower alone ({@code CLIPVisionModel}, or {@code
     * CLIPVisionModelWithProjection} whose {@code visual_projection.weight} becomes {@code
     * visual.proj}).
     *
     * @throws IllegalArgumentException naming every missing, unknown and misshaped tensor
     */
    public static VisionTower readVision(Path folder) throws IOException {
        JsonNode json = configJson(folder);
        String source = folder.resolve(HfClipExport.CONFIG_FILE).toString();
        HfClipConfig.Vision vision = HfClipConfig.visionFromConfigJson(json, source);
        Path weights = weights(folder);
        Map<String, long[]> found = withoutBuffers(Safetensors.readHeader(weights).shapes());
        Map<String, long[]> oursVision = visionShapes(vision);
        List<HfClipNames.Rule> rules;
        if (HfClipConfig.modelType(json).equals(HfClipConfig.MODEL_TYPE_CLIP)) {
            ClipConfig whole = HfClipConfig.fromConfigJson(json, source);
            Safetensors.requireShapes(weights.toString(), HfClipNames.hfShapes(whole), found);
        } else {
            if (!found.containsKey("visual_projection.weight")) {
                oursVision.remove("visual.proj");
            }
            Safetensors.requireShapes(weights.toString(), HfClipNames.hfShapes(oursVision), found);
        }
        rules = HfClipNames.rules(oursVision.keySet());
        Map<String, Safetensors.Tensor> ours = convert(weights, rules);
        return new VisionTower(
                vision.config(), vision.projectionDim(), ordered(oursVision.keySet(), ours));
    }

    /**
     * Streams {@code weights}, converting the tensors named by {@code rules} (others, already
     * checked to be known, are skipped); q, k and v are held until their block's three parts have
     * been read.
     */
    private static Map<String, Safetensors.Tensor> convert(
            Path weights, List<HfClipNames.Rule> rules) throws IOException {
        Map<String, HfClipNames.Rule> byHfName = new HashMap<>();
        rules.forEach(rule -> rule.hf().forEach(name -> byHfName.put(name, rule)));
        Map<String, Map<String, Safetensors.Tensor>> pending = new HashMap<>();
        Map<String, Safetensors.Tensor> ours = new HashMap<>();
        Safetensors.forEachTensor(
                weights,
                (name, shape, values) -> {
                    HfClipNames.Rule rule = byHfName.get(name);
                    if (rule == null) {
                        return; // an ignored buffer, or a tower not asked for (checked by
                        // requireShapes)
                    }
                    Map<String, Safetensors.Tensor> parts =
                            pending.computeIfAbsent(rule.ours(), k -> new HashMap<>());
                    parts.put(name, Safetensors.Tensor.f32(shape, values));
                    if (parts.size() == rule.hf().size()) {
                        ours.put(rule.ours(), HfClipNames.toOurs(rule, parts));
                        pending.remove(rule.ours());
                    }
                });
        if (!pending.isEmpty()) {
            throw new IllegalStateException(
                    "incomplete q/k/v blocks after reading " + weights + ": " + pending.keySet());
        }
        return ours;
    }

    private static Map<String, long[]> visionShapes(HfClipConfig.Vision vision) {
        // The text tower is irrelevant here; a one-layer placeholder lets parameterShapes() list
        // the vision names.
        ClipConfig.TextConfig placeholder =
                new ClipConfig.TextConfig(
                        2, 2, 1, 1, 1, 1.0, ClipConfig.Activation.QUICK_GELU, 1e-5);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        new ClipConfig(vision.config(), placeholder, vision.projectionDim())
                .parameterShapes()
                .forEach(
                        (name, shape) -> {
                            if (name.startsWith("visual.")) {
                                shapes.put(name, shape);
                            }
                        });
        return shapes;
    }

    private static Map<String, Safetensors.Tensor> ordered(
            Iterable<String> names, Map<String, Safetensors.Tensor> tensors) {
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        for (String name : names) {
            Safetensors.Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalStateException("tensor " + name + " was not converted");
            }
            out.put(name, t);
        }
        return out;
    }

    private static Map<String, long[]> withoutBuffers(Map<String, long[]> shapes) {
        Map<String, long[]> kept = new LinkedHashMap<>(shapes);
        HfClipNames.IGNORED_BUFFERS.forEach(kept::remove);
        return kept;
    }

    private static JsonNode configJson(Path folder) throws IOException {
        requireFolder(folder);
        Path file = folder.resolve(HfClipExport.CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    folder
                            + " has no "
                            + HfClipExport.CONFIG_FILE
                            + "; a Hugging Face model folder holds config.json and model.safetensors");
        }
        try {
            return JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Path weights(Path folder) {
        Path weights = folder.resolve(HfClipExport.WEIGHTS_FILE);
        if (Files.isRegularFile(weights)) {
            return weights;
        }
        if (Files.exists(folder.resolve("model.safetensors.index.json"))) {
            throw new IllegalArgumentException(
                    folder
                            + " holds a sharded checkpoint (model.safetensors.index.json); "
                            + "only a single "
                            + HfClipExport.WEIGHTS_FILE
                            + " is read: save it with max_shard_size larger than the model");
        }
        if (Files.exists(folder.resolve("pytorch_model.bin"))) {
            throw new IllegalArgumentException(
                    folder
                            + " holds pytorch_model.bin only; only "
                            + HfClipExport.WEIGHTS_FILE
                            + " is read: re-save it with save_pretrained(folder, safe_serialization=True)");
        }
        throw new IllegalArgumentException(folder + " has no " + HfClipExport.WEIGHTS_FILE);
    }

    private static void requireFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(
                    folder
                            + (Files.exists(folder) ? " is not a folder" : " does not exist")
                            + "; a Hugging Face model is a folder holding config.json and model.safetensors");
        }
    }
}
