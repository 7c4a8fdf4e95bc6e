package eagle.scenes.experiment;

import ai.djl.Device;
import ai.djl.engine.Engine;
import eagle.core.model.ClipModel;
import eagle.core.text.WordTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded default base encoder, committed under {@code models/embedded-base/}: the tiny CLIP's
 * weights ({@code model.safetensors}, config in its metadata), its word tokenizer ({@code
 * tokenizer.json}) and how it was made ({@code pretrain.json}).
 */
public record EmbeddedBase(Path dir) {

    public static final String MODEL = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String RECORD = "pretrain.json";

    /** {@code $eagle.home/models/embedded-base}, or relative to the working directory. */
    public static EmbeddedBase standard() {
        String home = System.getProperty("eagle.home", ".");
        return new EmbeddedBase(Path.of(home, "models", "embedded-base"));
    }

    /**
     * The base in {@code dir}, given on the command line as {@code --option dir}.
     *
     * @throws IllegalArgumentException naming the option when {@code dir} holds no {@value #MODEL}
     */
    public static EmbeddedBase given(String option, Path dir) {
        if (!Files.isRegularFile(dir.resolve(MODEL))) {
            throw new IllegalArgumentException(
                    "--" + option + " " + dir + ": no base encoder there (no " + MODEL + ")");
        }
        return new EmbeddedBase(dir);
    }

    public ClipModel loadModel() throws IOException {
        Path file = dir.resolve(MODEL);
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "no base encoder at " + file + ": run ./eagle pretrain --out " + dir);
        }
        return ClipModel.load(file, device());
    }

    public WordTokenizer loadTokenizer() throws IOException {
        return WordTokenizer.fromJson(Files.readString(dir.resolve(TOKENIZER)));
    }

    /** The engine's default device: the GPU when DJL finds one, else the CPU. */
    public static Device device() {
        return Engine.getInstance().defaultDevice();
    }
}
