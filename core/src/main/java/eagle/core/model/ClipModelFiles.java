package eagle.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import eagle.core.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading and writing a {@link ClipModel} as safetensors with OpenAI CLIP's state-dict names
 * (docs/METHOD.md §1): float32 tensors, the config in the {@value MetadataKeys#CLIP_CONFIG}
 * metadata entry.
 */
final class ClipModelFiles {

    private ClipModelFiles() {}

    /** See {@link ClipModel#load(Path, ClipConfig, Device)}. */
    static ClipModel load(Path file, ClipConfig config, Device device) throws IOException {
        Safetensors.requireShapes(
                file.toString(), config.parameterShapes(), Safetensors.readHeader(file).shapes());
        NDManager manager = NDManager.newBaseManager(device);
        try {
            LinkedHashMap<String, NDArray> parameters = new LinkedHashMap<>();
            config.parameterShapes().keySet().forEach(name -> parameters.put(name, null));
            Safetensors.forEachTensor(
                    file,
                    (name, shape, values) ->
                            parameters.put(name, manager.create(values, new Shape(shape))));
            return new ClipModel(config, manager, DataType.FLOAT32, parameters);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** See {@link ClipModel#load(Path, Device)}. */
    static ClipModel load(Path file, Device device) throws IOException {
        String json = Safetensors.readHeader(file).metadata().get(MetadataKeys.CLIP_CONFIG);
        if (json == null) {
            throw new IllegalArgumentException(
                    file
                            + " has no "
                            + MetadataKeys.CLIP_CONFIG
                            + " metadata; load it with an explicit ClipConfig");
        }
        return load(file, ClipConfig.fromJson(json), device);
    }

    /** See {@link ClipModel#load(Path)}. */
    static void loadInto(ClipModel model, Path file) throws IOException {
        Safetensors.requireShapes(
                file.toString(),
                model.config().parameterShapes(),
                Safetensors.readHeader(file).shapes());
        Safetensors.forEachTensor(
                file,
                (name, shape, values) -> {
                    NDArray target = model.parameter(name);
                    try (NDArray source =
                            ClipModel.toArray(model.manager(), values, shape, model.dataType())) {
                        target.set(new NDIndex("..."), source);
                    }
                });
    }

    /**
     * See {@link ClipModel#save(Path, Map)}: {@code metadata}, then {@code format} and the config.
     */
    static void save(ClipModel model, Path file, Map<String, String> metadata) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(metadata);
        all.put("format", "pt");
        all.put(MetadataKeys.CLIP_CONFIG, model.config().toJson());
        Safetensors.write(file, model.parameters(), all);
    }
}
