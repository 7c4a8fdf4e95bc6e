package eagle.core.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one of our CLIP encoders as a Hugging Face transformers folder that {@code CLIPModel},
 * {@code CLIPVisionModel} and {@code CLIPImageProcessor} load with {@code from_pretrained(folder)}:
 *
 * <pre>
 * folder/config.json                {@link HfClipConfig#configJson}: architectures ["CLIPModel"], ...
 * folder/model.safetensors          float32, Hugging Face names ({@link HfClipNames}), metadata {"format": "pt"}
 * folder/preprocessor_config.json   {@link HfClipConfig#preprocessorJson}: CLIPImageProcessor
 * </pre>
 *
 * <p>The {@code position_ids} buffers ({@link HfClipNames#IGNORED_BUFFERS}) are not written:
 * transformers registers them with {@code persistent=False} and rebuilds them as {@code arange},
 * and recent versions report them as unexpected keys when a checkpoint holds them. No tokenizer
 * files are written (see {@link HfClipConfig} on {@code eagle_tokenizer}). Files of the folder
 * other than these three are left untouched.
 *
 * <p>Memory: the source is read one tensor at a time (a model's arrays are copied to the heap one
 * at a time; a file is streamed by {@link Safetensors#forEachTensor}), and the converted tensors
 * are collected once for {@link Safetensors#writeTensors}: the peak heap is one copy of the model
 * plus one tensor (about 1.7 GB for ViT-L-14), never two copies. No engine is needed for a file.
 */
public final class HfClipExport {

    /** The model's configuration. */
    public static final String CONFIG_FILE = "config.json";

    /** The weights, one safetensors file. */
    public static final String WEIGHTS_FILE = "model.safetensors";

    /** The image processor's configuration. */
    public static final String PREPROCESSOR_FILE = "preprocessor_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfClipExport() {}

    /**
     * Writes {@code model} (float32 or float64 parameters, written as float32) as a Hugging Face
     * folder.
     */
    public static void write(ClipModel model, Path folder) throws IOException {
        ClipConfig config = model.config();
        Map<String, Safetensors.Tensor> hf = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            NDArray array = e.getValue();
            float[] values;
            if (array.getDataType() == DataType.FLOAT32) {
                values = array.toFloatArray();
            } else {
                try (NDArray converted = array.toType(DataType.FLOAT32, false)) {
                    values = converted.toFloatArray();
                }
            }
            hf.putAll(
                    HfClipNames.toHf(
                            HfClipNames.rule(e.getKey()), array.getShape().getShape(), values));
        }
        writeFolder(config, hf, folder);
    }

    /**
     * Converts an OpenAI-named safetensors file (as {@code ClipModel.save} writes) into a Hugging
     * Face folder, with the architecture of {@link OpenAiClipFile#configOf}.
     *
     * @return the architecture written
     */
    public static ClipConfig write(Path openAiFile, Path folder) throws IOException {
        ClipConfig config = OpenAiClipFile.configOf(openAiFile);
        write(openAiFile, config, folder);
        return config;
    }

    /**
     * Converts an OpenAI-named safetensors file with the given architecture into a Hugging Face
     * folder.
     *
     * @throws IllegalArgumentException listing every tensor of the file that is missing, extra or
     *     misshaped for {@code config}, before anything is written
     */
    public static void write(Path openAiFile, ClipConfig config, Path folder) throws IOException {
        Safetensors.requireShapes(
                openAiFile.toString(),
                config.parameterShapes(),
                Safetensors.readHeader(openAiFile).shapes());
        Map<String, Safetensors.Tensor> hf = new LinkedHashMap<>();
        Safetensors.forEachTensor(
                openAiFile,
                (name, shape, values) ->
                        hf.putAll(HfClipNames.toHf(HfClipNames.rule(name), shape, values)));
        writeFolder(config, hf, folder);
    }

    private static void writeFolder(
            ClipConfig config, Map<String, Safetensors.Tensor> hf, Path folder) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        hf.forEach((name, t) -> shapes.put(name, t.shape()));
        Safetensors.requireShapes("converted tensors", HfClipNames.hfShapes(config), shapes);
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + " exists and is not a folder");
        }
        Files.createDirectories(folder);
        Safetensors.writeTensors(folder.resolve(WEIGHTS_FILE), hf, Map.of("format", "pt"));
        writeJson(folder.resolve(CONFIG_FILE), HfClipConfig.configJson(config));
        writeJson(
                folder.resolve(PREPROCESSOR_FILE), HfClipConfig.preprocessorJson(config.vision()));
    }

    private static void writeJson(Path file, ObjectNode json) throws IOException {
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
