package eagle.gateway;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import eagle.client.Version;
import eagle.core.hf.HfClipExport;
import eagle.core.image.ImagePreprocessor;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.core.model.ImageFeatures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One encoder version, verified, loaded and warmed: its weights file (OpenAI CLIP names,
 * docs/METHOD.md §1), its Hugging Face folder (config.json, model.safetensors,
 * preprocessor_config.json, each with its own digest), the {@link ClipModel} that computes
 * embeddings, and the registry's metadata (version, latest passing evaluation). An EVA01-CLIP
 * encoder ({@code eva01-clip}, core/EVA.md) has no Hugging Face folder (transformers has no
 * EVA01-CLIP model); it has instead its image tower in LAVIS's {@code visual_encoder.*} layout, the
 * file BLIP-2 and InstructBLIP load ({@link eagle.core.hf.LavisEvaFile}), with its own digest.
 *
 * <p>Dimension letters: S image side, P patches (grid²), D joint width.
 *
 * <p>Closing waits for embeddings in flight (a read-write lock), so the model is never released
 * under a request that still uses it.
 */
public final class LoadedEncoder implements AutoCloseable {

    /**
     * The image tower alone, in VisionTransformer's own names ({@link
     * DerivedLayouts#writeVisualTower}).
     */
    public static final String VISUAL_FILE = "visual.safetensors";

    /**
     * The LAVIS layout of an EVA01-CLIP encoder's image tower (BLIP-2's {@code visual_encoder}).
     */
    public static final String LAVIS_FILE = "visual_encoder.safetensors";

    /** Hugging Face files, in the order they are listed. */
    public static final List<String> HF_FILES =
            List.of(
                    HfClipExport.CONFIG_FILE,
                    HfClipExport.WEIGHTS_FILE,
                    HfClipExport.PREPROCESSOR_FILE);

    private final Version version;
    private final JsonNode evaluation;
    private final ServedFile weights;
    private final Map<String, ServedFile> hf;
    private final ServedFile visual;
    private final ServedFile lavis;
    private final EncoderSpec spec;
    private final ClipModel clip;
    private final ImagePreprocessor preprocessor;
    private final Instant loadedAt;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private LoadedEncoder(
            Version version,
            JsonNode evaluation,
            ServedFile weights,
            Map<String, ServedFile> hf,
            ServedFile visual,
            ServedFile lavis,
            EncoderSpec spec,
            ClipModel clip) {
        this.version = version;
        this.evaluation = evaluation;
        this.weights = weights;
        this.hf = hf;
        this.visual = visual;
        this.lavis = lavis;
        this.spec = spec;
        this.clip = clip;
        this.preprocessor = new ImagePreprocessor(clip.config().vision().imageSize());
        this.loadedAt = Instant.now();
    }

    /**
     * Loads a verified artifact, built from the {@link EncoderSpec} the file carries (its config; a
     * file whose spec cannot be told is refused), writes its Hugging Face folder under {@code
     * hfFolder} (an OpenAI-CLIP encoder) or its LAVIS file beside it (an EVA01-CLIP encoder), and
     * warms the model with one forward pass whose outputs must have the expected shapes and be
     * finite.
     *
     * @throws GatewayException 502 {@code ARTIFACT_UNUSABLE} when the file is not a loadable CLIP
     */
    public static LoadedEncoder load(
            Version version, JsonNode evaluation, Path verifiedFile, Path hfFolder) {
        ClipModel clip = null;
        try {
            EncoderSpec spec = EncoderSpec.read(verifiedFile);
            clip = ClipModel.load(verifiedFile, spec.config(), Device.cpu());
            warm(clip);
            DerivedLayouts.Written derived =
                    DerivedLayouts.write(version, verifiedFile, spec, hfFolder);
            ServedFile weights =
                    new ServedFile(
                            verifiedFile,
                            version.sha256(),
                            version.sizeBytes(),
                            "application/octet-stream",
                            version.model(),
                            version.version(),
                            version.sha256());
            return new LoadedEncoder(
                    version,
                    evaluation,
                    weights,
                    derived.hf(),
                    derived.visual(),
                    derived.lavis(),
                    spec,
                    clip);
        } catch (IOException | RuntimeException e) {
            if (clip != null) {
                clip.close();
            }
            if (e instanceof GatewayException g) {
                throw g;
            }
            throw new GatewayException(
                    502,
                    "ARTIFACT_UNUSABLE",
                    "version "
                            + version.version()
                            + " of "
                            + version.model()
                            + " ("
                            + version.sha256()
                            + ") cannot be loaded as a CLIP encoder: "
                            + e,
                    e);
        }
    }

    /**
     * One forward pass on an image of CLIP's mean colour: (1, 3, S, S) → cls (1, D), patches (1, P,
     * D), all finite.
     */
    private static void warm(ClipModel clip) {
        ClipConfig c = clip.config();
        int s = c.vision().imageSize();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray pixels =
                    m.zeros(
                            new Shape(
                                    1, 3, s,
                                    s)); // (1, 3, S, S), zero = the mean colour after normalising
            ImageFeatures f = clip.encodeImage(pixels);
            Shape cls = f.cls().getShape();
            Shape patches = f.patches().getShape();
            if (!cls.equals(new Shape(1, c.embedDim()))
                    || !patches.equals(new Shape(1, c.vision().numPatches(), c.embedDim()))) {
                throw new GatewayException(
                        502, "WARMUP_FAILED", "warm-up gave shapes " + cls + " and " + patches);
            }
            float sum = f.cls().abs().sum().getFloat() + f.patches().abs().sum().getFloat();
            if (!Float.isFinite(sum)) {
                throw new GatewayException(
                        502, "WARMUP_FAILED", "warm-up gave non-finite features");
            }
        }
    }

    /**
     * The features of one image, computed by this version: CLIP preprocessing to (1, 3, S, S), then
     * {@link ClipModel#encodeImage}.
     */
    public Embedding embed(BufferedImage image) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(
                        "encoder " + version.model() + "/" + version.version() + " was closed");
            }
            ClipConfig c = clip.config();
            int grid = c.vision().grid();
            int d = c.embedDim();
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                NDArray pixels = preprocessor.batch(List.of(image), m); // (1, 3, S, S)
                ImageFeatures f = clip.encodeImage(pixels);
                float[] cls = f.cls().toFloatArray(); // (1, D) → (D)
                float[] flat = f.patches().toFloatArray(); // (1, P, D) → (P·D)
                float[][] patches = new float[grid * grid][];
                for (int p = 0; p < patches.length; p++) {
                    patches[p] = java.util.Arrays.copyOfRange(flat, p * d, (p + 1) * d);
                }
                return new Embedding(
                        version.model(),
                        version.version(),
                        version.sha256(),
                        d,
                        new int[] {grid, grid},
                        cls,
                        patches);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    public String model() {
        return version.model();
    }

    public int version() {
        return version.version();
    }

    public String sha256() {
        return version.sha256();
    }

    public Version versionInfo() {
        return version;
    }

    /**
     * The latest passing evaluation of this version (null only for a version served by number
     * without one).
     */
    public JsonNode evaluation() {
        return evaluation;
    }

    public ServedFile weights() {
        return weights;
    }

    /** A Hugging Face file by name, or null. */
    public ServedFile hfFile(String name) {
        return hf.get(name);
    }

    /**
     * The EVA01 image tower in LAVIS's {@code visual_encoder.*} names, or null for an OpenAI-CLIP
     * encoder.
     */
    public ServedFile lavisEncoder() {
        return lavis;
    }

    /**
     * The image tower alone in its own module's names ({@link DerivedLayouts#writeVisualTower}),
     * with its own digest.
     */
    public ServedFile visualTower() {
        return visual;
    }

    /** The encoder's spec (config, tokenizer, prompt templates), as its weights file carries it. */
    public EncoderSpec spec() {
        return spec;
    }

    public ClipConfig clipConfig() {
        return clip.config();
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** Releases the model's native memory after embeddings in flight finish. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                clip.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
