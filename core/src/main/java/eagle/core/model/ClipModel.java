package eagle.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A CLIP model with OpenAI CLIP's structure and state-dict names (docs/METHOD.md §1): a {@link
 * VisionTransformer} whose head is applied to every token, a causal {@link TextTransformer}, and
 * {@code logit_scale}. A config of the {@value ClipConfig#EVA01_CLIP} family has EVA01-CLIP's
 * {@link EvaVisionTransformer} (EVA-CLIP's names) as its image tower instead ({@link
 * #imageTower()}; core/EVA.md); everything else is the same.
 *
 * <p>Dimension letters: B images, P patches, D joint width, C text sequences, T tokens, W width.
 *
 * <p>Parameters live in the model's own {@link NDManager}, keyed by checkpoint name in the order of
 * {@link ClipConfig#parameterShapes()}. The forward passes run in an internal {@link NDScope}:
 * their intermediates are released as soon as the pass returns (autograd keeps what backward
 * needs), and the outputs are registered with the caller's scope, if any, so every forward can run
 * inside {@code try (NDScope scope = new NDScope()) {...}} without leaking. Parameters do not
 * require gradients until {@link #setTrainable} says so.
 *
 * <p>Concerns live beside it: the initialisation rules by parameter name in {@link
 * ClipInitialisation} (OpenAI CLIP's; the result depends only on (seed, config)), reading and
 * writing safetensors in {@link ClipModelFiles}, and the parameters GaLore projects in {@link
 * GaloreTargets}.
 */
public final class ClipModel implements AutoCloseable {

    private final ClipConfig config;
    private final NDManager manager;
    private final DataType dataType;
    private final LinkedHashMap<String, NDArray> parameters;
    private final VisionTransformer visual;
    private final ImageTower imageTower;
    private final TextTransformer text;

    ClipModel(
            ClipConfig config,
            NDManager manager,
            DataType dataType,
            LinkedHashMap<String, NDArray> parameters) {
        this.config = config;
        this.manager = manager;
        this.dataType = dataType;
        this.parameters = parameters;
        this.visual = config.isEva() ? null : new VisionTransformer(config.vision(), parameters);
        this.imageTower =
                config.isEva() ? new EvaVisionTransformer(config.vision(), parameters) : visual;
        this.text = new TextTransformer(config.text(), parameters);
    }

    /** A freshly initialised float32 model; see the class comment for the initialisation. */
    public static ClipModel create(ClipConfig config, Device device, long seed) {
        return create(config, device, seed, DataType.FLOAT32);
    }

    /**
     * A freshly initialised model.
     *
     * @param dataType {@link DataType#FLOAT32} or {@link DataType#FLOAT64} (for gradient checks)
     */
    public static ClipModel create(ClipConfig config, Device device, long seed, DataType dataType) {
        requireFloat(dataType);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            LinkedHashMap<String, NDArray> parameters = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : config.parameterShapes().entrySet()) {
                double[] values =
                        ClipInitialisation.initialValues(config, e.getKey(), e.getValue(), seed);
                parameters.put(e.getKey(), toArray(manager, values, e.getValue(), dataType));
            }
            return new ClipModel(config, manager, dataType, parameters);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads a float32 model from a safetensors file with exactly the names and shapes of {@code
     * config.parameterShapes()} (F32, F16 or BF16 data).
     *
     * @throws IllegalArgumentException listing every missing, extra and wrongly shaped tensor
     */
    public static ClipModel load(Path file, ClipConfig config, Device device) throws IOException {
        return ClipModelFiles.load(file, config, device);
    }

    /**
     * Loads a model saved by {@link #save(Path)}, taking the config from the file's {@value
     * MetadataKeys#CLIP_CONFIG} metadata.
     *
     * @throws IllegalArgumentException when the file carries no config or does not match it
     */
    public static ClipModel load(Path file, Device device) throws IOException {
        return ClipModelFiles.load(file, device);
    }

    /**
     * Replaces every parameter's values in place with those of a safetensors file (same arrays, so
     * optimisers holding them see the new values).
     *
     * @throws IllegalArgumentException listing every missing, extra and wrongly shaped tensor
     */
    public void load(Path file) throws IOException {
        ClipModelFiles.loadInto(this, file);
    }

    /** Saves the parameters as float32 safetensors with the config in the metadata. */
    public void save(Path file) throws IOException {
        save(file, Map.of());
    }

    /**
     * Saves the parameters as float32 safetensors with the config ({@value
     * MetadataKeys#CLIP_CONFIG}) and {@code metadata} (e.g. {@code EncoderSpec.metadata()}) in the
     * metadata.
     */
    public void save(Path file, Map<String, String> metadata) throws IOException {
        ClipModelFiles.save(this, file, metadata);
    }

    /**
     * A frozen deep copy (no parameter requires gradients), e.g. the base encoder of a retention
     * term.
     */
    public ClipModel copy() {
        return copy(dataType);
    }

    /**
     * A frozen deep copy converted to {@code type} ({@link DataType#FLOAT32} or {@link
     * DataType#FLOAT64}).
     */
    public ClipModel copy(DataType type) {
        requireFloat(type);
        NDManager target = NDManager.newBaseManager(manager.getDevice());
        try {
            LinkedHashMap<String, NDArray> copies = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                try (NDArray detached = e.getValue().stopGradient()) {
                    NDArray copy =
                            detached.getDataType() == type
                                    ? detached.duplicate()
                                    : detached.toType(type, true);
                    copy.attach(target);
                    copies.put(e.getKey(), copy);
                }
            }
            return new ClipModel(config, target, type, copies);
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    /**
     * The image tower's features.
     *
     * @param pixels (B, 3, S, S) normalised with CLIP's mean and std; converted to the model's data
     *     type
     * @return cls (B, D) and patches (B, P, D), unnormalised, attached to {@code pixels}' manager
     */
    public ImageFeatures encodeImage(NDArray pixels) {
        Shape shape = pixels.getShape();
        int size = config.vision().imageSize();
        if (shape.dimension() != 4
                || shape.get(1) != 3
                || shape.get(2) != size
                || shape.get(3) != size) {
            throw new IllegalArgumentException(
                    "pixels must have shape (B, 3, " + size + ", " + size + "), got " + shape);
        }
        NDArray cls;
        NDArray patches;
        try (NDScope scope = new NDScope()) {
            NDArray input =
                    pixels.getDataType() == dataType ? pixels : pixels.toType(dataType, false);
            ImageFeatures features = imageTower.forward(input);
            cls = features.cls();
            patches = features.patches();
            NDScope.unregister(cls, patches);
        }
        return new ImageFeatures(
                handOver(cls, pixels.getManager()), handOver(patches, pixels.getManager()));
    }

    /**
     * The text tower's features at each sequence's end-of-text token, attached to the model's
     * manager (close them, or call inside an {@link NDScope}).
     *
     * @param tokens (C, T) ids, as {@code Tokenizer.encodeBatch} gives them
     * @return (C, D), unnormalised
     */
    public NDArray encodeText(int[][] tokens) {
        return encodeText(tokens, manager);
    }

    /** As {@link #encodeText(int[][])}, with the output attached to {@code target}. */
    public NDArray encodeText(int[][] tokens, NDManager target) {
        NDArray features;
        try (NDScope scope = new NDScope()) {
            features = text.forward(tokens);
            NDScope.unregister(features);
        }
        return handOver(features, target);
    }

    /** The learnable log of the contrastive temperature's inverse, shape (). */
    public NDArray logitScale() {
        return parameters.get("logit_scale");
    }

    /** The parameters in state-dict order (a new map over the model's own arrays). */
    public LinkedHashMap<String, NDArray> parameters() {
        return new LinkedHashMap<>(parameters);
    }

    /**
     * One parameter by its state-dict name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public NDArray parameter(String name) {
        NDArray array = parameters.get(name);
        if (array == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return array;
    }

    /**
     * Makes exactly the parameters whose names {@code which} accepts require gradients (the others
     * stop requiring them).
     */
    public void setTrainable(Predicate<String> which) {
        parameters.forEach((name, array) -> array.setRequiresGradient(which.test(name)));
    }

    /** The parameters that require gradients, in state-dict order. */
    public LinkedHashMap<String, NDArray> trainableParameters() {
        LinkedHashMap<String, NDArray> trainable = new LinkedHashMap<>();
        parameters.forEach(
                (name, array) -> {
                    if (array.hasGradient()) {
                        trainable.put(name, array);
                    }
                });
        return trainable;
    }

    /**
     * Sets the gradient of every trainable parameter to zero. PyTorch accumulates gradients over
     * backward passes and DJL's {@code GradientCollector} does not clear them, so call this before
     * each step.
     */
    public void zeroGradients() {
        for (NDArray array : parameters.values()) {
            if (array.hasGradient()) {
                try (NDArray gradient = array.getGradient()) {
                    gradient.muli(0);
                }
            }
        }
    }

    /**
     * Whether GaLore projects this parameter's gradient: the 2-D {@code attn.in_proj_weight},
     * {@code attn.out_proj.weight}, {@code mlp.c_fc.weight} and {@code mlp.c_proj.weight} of every
     * residual block of either tower, and an EVA image tower's {@code attn.qkv.weight}, {@code
     * attn.proj.weight}, {@code mlp.fc1.weight} and {@code mlp.fc2.weight} (docs/METHOD.md §5).
     */
    public static boolean isGaloreTarget(String name) {
        return GaloreTargets.isTarget(name);
    }

    public ClipConfig config() {
        return config;
    }

    public DataType dataType() {
        return dataType;
    }

    public Device device() {
        return manager.getDevice();
    }

    /**
     * OpenAI CLIP's image tower (a view over this model's parameters).
     *
     * @throws IllegalStateException when the image tower is EVA01-CLIP's (see {@link
     *     #imageTower()})
     */
    public VisionTransformer visual() {
        if (visual == null) {
            throw new IllegalStateException(
                    "this model's image tower is " + config.family() + "; use imageTower()");
        }
        return visual;
    }

    /** The image tower of either family (a view over this model's parameters). */
    public ImageTower imageTower() {
        return imageTower;
    }

    /** The text tower (a view over this model's parameters). */
    public TextTransformer text() {
        return text;
    }

    /** The manager that owns the parameters. */
    NDManager manager() {
        return manager;
    }

    /** Releases every parameter. */
    @Override
    public void close() {
        manager.close();
    }

    private static NDArray handOver(NDArray output, NDManager target) {
        output.attach(target);
        NDScope.register(output);
        return output;
    }

    private static void requireFloat(DataType type) {
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw new IllegalArgumentException("a CLIP model is float32 or float64, not " + type);
        }
    }

    static NDArray toArray(NDManager manager, float[] values, long[] shape, DataType type) {
        NDArray array = manager.create(values, new Shape(shape));
        if (type == DataType.FLOAT32) {
            return array;
        }
        try (array) {
            return array.toType(type, true);
        }
    }

    private static NDArray toArray(
            NDManager manager, double[] values, long[] shape, DataType type) {
        if (type == DataType.FLOAT64) {
            return manager.create(values, new Shape(shape));
        }
        float[] narrowed = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            narrowed[i] = (float) values[i];
        }
        return manager.create(narrowed, new Shape(shape));
    }
}
